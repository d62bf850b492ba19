using EventKit.Testing;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.Storage.Tests.Internal;

public sealed class StorageTelemetryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    [Fact]
    public async Task Times_every_named_query_on_the_storage_meter_and_logs_slow_ones_without_values()
    {
        var logs = new ListLogger { MinimumLevel = LogLevel.Warning };
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = fixture.ConnectionString;
            o.MinPoolSize = 0;
            o.SlowQueryThreshold = TimeSpan.FromMilliseconds(1);
        });
        await using var provider = services.BuildServiceProvider();
        var measurements = new ConcurrentBag<(string Name, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EventKitDiagnostics.Storage && instrument.Name is StorageTelemetry.DurationInstrument or "eventkit.storage.slow_queries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == StorageTelemetry.QueryNameTag)
                {
                    measurements.Add(((string)tag.Value!, value));
                }
            }
        });
        var slowCounted = new ConcurrentBag<string>();
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == StorageTelemetry.QueryNameTag)
                {
                    slowCounted.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        // pg_sleep makes the query slower than the 1 ms threshold on any machine.
        var telemetry = provider.GetRequiredService<StorageTelemetry>();
        await telemetry.TimeAsync("test.sleep", async ct =>
        {
            await using var command = fixture.DataSource.CreateCommand("SELECT pg_sleep(0.01), $1::text");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "secret-value" });
            return await command.ExecuteScalarAsync(ct);
        }, CancellationToken.None);
        await provider.GetRequiredService<IParticipantDirectory>().GetAsync(1);

        Assert.Contains(measurements, m => m.Name == "test.sleep" && m.Seconds >= 0.01);
        Assert.Contains(measurements, m => m.Name == QueryNames.ParticipantById);
        Assert.Contains("test.sleep", slowCounted);
        var slow = Assert.Single(logs.Entries, e => e.Message.Contains("test.sleep", StringComparison.Ordinal)).Message;
        Assert.DoesNotContain("secret-value", slow, StringComparison.Ordinal);
    }
}
