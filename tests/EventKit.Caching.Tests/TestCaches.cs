using System.Diagnostics.Metrics;
using EventKit.Caching.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Tests;

/// <summary>Builds cache instances the way the DI registration does, with options per test.</summary>
internal static class TestCaches
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static DefaultHybridCache Create(Action<HybridCachingOptions>? configure = null, TimeProvider? time = null, IServiceProvider? services = null, string? redis = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        // A real Redis gets 2 s per call, not the 50 ms default: a test about what the cache does with Redis must not
        // fall back to L1-only because the shared CI machine paused for a GC or a busy core. Tests of the timeout itself
        // set their own.
        var options = new HybridCachingOptions();
        if (redis is not null)
        {
            options.L2Timeout = TimeSpan.FromSeconds(2);
        }

        configure?.Invoke(options);
        var connection = redis is null ? null : TestRedisConnections.Connect(redis, time);
        return new DefaultHybridCache(Options.Create(options), time ?? TimeProvider.System, Meters, logs is null ? NullLogger<DefaultHybridCache>.Instance : new Microsoft.Extensions.Logging.Logger<DefaultHybridCache>(new Microsoft.Extensions.Logging.LoggerFactory([logs])), services, connection);
    }

    public static Participant Participant(long id, ParticipantStatus status = ParticipantStatus.Active) =>
        new(id, 1, $"Attendee {id}", $"a{id}@example.org", status, $"T-{id}");
}
