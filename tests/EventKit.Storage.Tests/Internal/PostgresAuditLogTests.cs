using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresAuditLogTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private IAuditLog Audit => fixture.Services.GetRequiredService<IAuditLog>();

    [Fact]
    public async Task Entries_are_read_newest_first_per_event_with_stable_keyset_pages()
    {
        for (var i = 0; i < 7; i++)
        {
            await Audit.AppendAsync(new AuditChange(71, "ops", "gate.update", "gate", i, "{\"open\":true}", "{\"open\":false}"));
        }

        await Audit.AppendAsync(new AuditChange(72, "admin", "gate.create", "gate", 99, null, "{\"name\":\"Other event\"}"));

        var first = await Audit.ReadAsync(71, limit: 3);
        Assert.Equal([6L, 5, 4], first.Items.Select(e => e.Change.EntityId!.Value));
        Assert.NotNull(first.NextCursor);

        // An entry appended between pages is newer than every page already read: the next pages neither repeat nor skip.
        await Audit.AppendAsync(new AuditChange(71, "ops", "gate.update", "gate", 100, null, null));
        var rest = new List<AuditEntry>();
        for (var cursor = first.NextCursor; cursor is not null;)
        {
            var page = await Audit.ReadAsync(71, limit: 3, after: cursor);
            rest.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        Assert.Equal([3L, 2, 1, 0], rest.Select(e => e.Change.EntityId!.Value));
        var entry = rest[0];
        Assert.Equal("ops", entry.Change.Actor);
        Assert.Equal(71, entry.Change.EventId);
        Assert.Contains("\"open\": true", entry.Change.OldValue, StringComparison.Ordinal);
        Assert.Contains("\"open\": false", entry.Change.NewValue, StringComparison.Ordinal);
        Assert.True(first.Items[^1].Id > entry.Id);

        // A cursor is bound to its event; bad ones are refused.
        await Assert.ThrowsAsync<InvalidCursorException>(() => Audit.ReadAsync(72, limit: 3, after: first.NextCursor));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Audit.ReadAsync(71, after: "garbage"));
        Assert.Equal(99, Assert.Single((await Audit.ReadAsync(72)).Items).Change.EntityId);
    }

    [Theory]
    [InlineData("", "a", "gate", null)]
    [InlineData("ops", "a", "gate", "[1,2]")]
    [InlineData("ops", "a", "gate", "not json")]
    [InlineData("o\0ps", "a", "gate", null)]
    public async Task Invalid_entries_are_refused_before_the_database(string actor, string action, string kind, string? value)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Audit.AppendAsync(new AuditChange(73, actor, action, kind, 1, value, null)));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM audit_log WHERE event_id = 73"));
    }
}
