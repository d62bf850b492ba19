using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Storage.Tests.Internal;

public sealed class StorageMaintenanceHostedServiceTests
{
    [Fact]
    public async Task Creates_partitions_at_start_and_again_every_interval_as_time_moves_on()
    {
        await using var db = new PostgresFixture();
        await db.InitializeAsync();
        await PostgresStorageMigrations.ApplyAsync(db.DataSource);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using var provider = StorageFixture.BuildProvider(db.ConnectionString, o =>
        {
            o.Maintenance.Interval = TimeSpan.FromHours(1);
            o.Maintenance.VacuumInterval = TimeSpan.Zero;
        }, time);
        var service = provider.GetServices<IHostedService>().OfType<StorageMaintenanceHostedService>().Single();

        await service.StartAsync(CancellationToken.None);
        Assert.Contains("attendance_records_p202710", await PartitionsAsync(db));
        Assert.DoesNotContain("attendance_records_p202801", await PartitionsAsync(db));

        // Three months later the next round adds the quarter that is now four ahead.
        // The loop may not have armed its timer yet when the clock first moves, so keep moving it an hour per poll.
        time.Advance(TimeSpan.FromDays(92));
        await Eventually.TrueAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromHours(1));
                return (await PartitionsAsync(db)).Contains("attendance_records_p202801");
            },
            "the next round created the new quarter");

        await service.StopAsync(CancellationToken.None);
    }

    private static Task<List<string>> PartitionsAsync(PostgresFixture db) => StorageFixture.PartitionNamesAsync(db.DataSource);
}
