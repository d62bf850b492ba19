using Microsoft.Extensions.Logging;

namespace EventKit.Storage.Internal;

/// <summary>
/// The logger factory EventKit hands to Npgsql: Npgsql's statement-level categories (<c>Npgsql.Command</c>,
/// <c>Npgsql.Copy</c>, <c>Npgsql.Transaction</c>, <c>Npgsql.Batch</c>) log only warnings and errors, so a template app
/// (default level Information) does not log every SQL statement and COPY batch. <c>EventKit:Storage:LogSql</c> turns
/// them back on; other Npgsql categories (connection errors, pool) pass through unchanged.
/// </summary>
internal sealed class QuietSqlLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly string[] StatementCategories = ["Npgsql.Command", "Npgsql.Copy", "Npgsql.Transaction", "Npgsql.Batch"];

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        foreach (var category in StatementCategories)
        {
            if (categoryName.StartsWith(category, StringComparison.Ordinal))
            {
                return new WarningsOnly(logger);
            }
        }

        return logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the host.
    public void Dispose()
    {
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
