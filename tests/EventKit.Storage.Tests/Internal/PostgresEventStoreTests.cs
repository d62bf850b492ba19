using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresEventStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private PostgresEventStore Store => fixture.Services.GetRequiredService<PostgresEventStore>();

    [Fact]
    public async Task The_first_read_creates_the_events_row_with_the_defaults()
    {
        var read = await Store.GetAsync(4711);

        Assert.Equal(4711, read.Id);
        Assert.Equal("Event 4711", read.Name);
        Assert.Equal("UTC", read.TimeZone);
        Assert.Null(read.OpeningHours);
        Assert.Null(read.StartsAt);
        Assert.NotNull(read.UpdatedAt);
        await using var count = fixture.DataSource.CreateCommand("SELECT count(*) FROM events WHERE id = 4711");
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);

        // Concurrent first reads on several nodes create one row.
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.GetAsync(4712).AsTask()));
        Assert.All(reads, r => Assert.Equal("Event 4712", r.Name));
    }

    [Fact]
    public async Task A_save_replaces_the_configuration_and_reads_back_equal()
    {
        var settings = new EventSettings
        {
            Id = 4800,
            Name = "Festival",
            TimeZone = "America/New_York",
            StartsAt = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero),
            EndsAt = new DateTimeOffset(2026, 7, 4, 4, 0, 0, TimeSpan.Zero),
            ReEntryWindow = TimeSpan.FromSeconds(45),
            OpeningHours = new Dictionary<GateKind, IReadOnlyList<OpeningHours>>
            {
                [GateKind.Entrance] = [new OpeningHours(new(10, 0), new(2, 0), [DayOfWeek.Friday, DayOfWeek.Saturday]), new OpeningHours(new(12, 0), new(20, 30, 15))],
                [GateKind.Exit] = [],
            },
        };

        var saved = await Store.SaveAsync(settings);
        var read = await Store.GetAsync(4800);

        foreach (var candidate in new[] { saved, read })
        {
            Assert.Equal("America/New_York", candidate.TimeZone);
            Assert.Equal(settings.StartsAt, candidate.StartsAt);
            Assert.Equal(settings.EndsAt, candidate.EndsAt);
            Assert.Equal(TimeSpan.FromSeconds(45), candidate.ReEntryWindow);
            Assert.Equal([DayOfWeek.Friday, DayOfWeek.Saturday], candidate.OpeningHours![GateKind.Entrance][0].Days);
            Assert.Equal(new TimeOnly(20, 30, 15), candidate.OpeningHours[GateKind.Entrance][1].Close);
            Assert.Null(candidate.OpeningHours[GateKind.Entrance][1].Days);
            Assert.Empty(candidate.OpeningHours[GateKind.Exit]);
            Assert.False(candidate.OpeningHours.ContainsKey(GateKind.Session));
        }

        var cleared = await Store.SaveAsync(EventSettings.Default(4800) with { Name = "Festival" });
        Assert.Null(cleared.OpeningHours);
        Assert.Null((await Store.GetAsync(4800)).ReEntryWindow);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SaveAsync(EventSettings.Default(4800) with { TimeZone = "Nowhere/Land" }));
    }

    [Fact]
    public async Task Gates_and_gateways_are_listed_in_keyset_pages_per_event()
    {
        var created = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await fixture.Gates.CreateAsync(4900, $"Gate {i}", GateKind.Entrance, isOpen: true)).Id);
        }

        await fixture.Gates.CreateAsync(4901, "Other event", GateKind.Entrance, isOpen: true);
        var gates = (IGateCatalog)fixture.Services.GetRequiredService<PostgresCatalog>();
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await gates.ListAsync(4900, 2, cursor);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(g => g.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(created, seen);
        var cursorOfAnotherEvent = (await gates.ListAsync(4900, 2)).NextCursor;
        await Assert.ThrowsAsync<InvalidCursorException>(() => gates.ListAsync(4901, 2, cursorOfAnotherEvent));

        var registry = fixture.Services.GetRequiredService<IGatewayRegistry>();
        var kept = await registry.RegisterAsync(4900, "kept", created[0]);
        var revoked = await registry.RegisterAsync(4900, "revoked", created[1]);
        Assert.True(await registry.RevokeAsync(4900, revoked.Gateway.Id));
        var gateways = await fixture.Services.GetRequiredService<IGatewayCatalog>().ListAsync(4900, 10);
        Assert.Equal([kept.Gateway.Id], gateways.Items.Select(g => g.Id));
        Assert.Null(gateways.NextCursor);
    }
}
