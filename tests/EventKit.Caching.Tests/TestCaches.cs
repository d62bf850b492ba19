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
        var options = new HybridCachingOptions();
        configure?.Invoke(options);
        var connection = redis is null ? null : TestRedisConnections.Connect(redis, time);
        return new DefaultHybridCache(Options.Create(options), time ?? TimeProvider.System, Meters, logs is null ? NullLogger<DefaultHybridCache>.Instance : new Microsoft.Extensions.Logging.Logger<DefaultHybridCache>(new Microsoft.Extensions.Logging.LoggerFactory([logs])), services, connection);
    }

    public static Participant Participant(long id, ParticipantStatus status = ParticipantStatus.Active) =>
        new(id, 1, $"Attendee {id}", $"a{id}@example.org", status, $"T-{id}");
}
