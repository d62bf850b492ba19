using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>Input the HTTP fuzz suites share.</summary>
internal static class FuzzInput
{
    /// <summary>Random bytes (NUL, control characters, invalid UTF-8 included) percent-encoded for a URL.</summary>
    /// <remarks>In a path, NUL is left out: TestServer's client refuses such a path before sending (Kestrel answers 400).</remarks>
    public static string PercentJunk(Random random, int length, bool inPath = false)
    {
        var text = new StringBuilder(length * 3);
        for (var i = 0; i < length; i++)
        {
            text.Append('%').Append(((byte)random.Next(inPath ? 1 : 0, 256)).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}

/// <summary>Collects every error, and every logged exception, of a fuzzed host.</summary>
internal sealed class ErrorLog : ILoggerProvider
{
    public ConcurrentQueue<string> Errors { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ErrorLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error || exception is not null)
            {
                owner.Errors.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
