using System.Diagnostics.Metrics;
using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresParticipantStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static long _nextEvent = 100;

    private PostgresParticipantStore Store => fixture.Participants;

    private static long NewEvent() => Interlocked.Increment(ref _nextEvent);

    private static string Token() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Registers_and_finds_by_credential_hash_by_id_and_many_ids()
    {
        var eventId = NewEvent();
        var (t1, t2) = (Token(), Token());
        var ids = await Store.RegisterAsync(eventId, [new NewParticipant("Ada Lovelace", t1, "ada@example.org", "T-1"), new NewParticipant("Grace Hopper", t2)]);

        Assert.Equal(2, ids.Count);
        Assert.True(ids[0] < ids[1]);
        var ada = await Store.FindByCredentialAsync(CredentialHash.Compute(t1));
        Assert.Equal(new Participant(ids[0], eventId, "Ada Lovelace", "ada@example.org", ParticipantStatus.Active, "T-1"), ada);
        Assert.Equal("Grace Hopper", (await Store.GetAsync(ids[1]))!.Name);
        Assert.Null(await Store.GetAsync(long.MaxValue));
        Assert.Null(await Store.FindByCredentialAsync(CredentialHash.Compute(Token())));

        var many = await Store.GetManyAsync([ids[0], ids[1], long.MaxValue]);
        Assert.Equal(ids.Order(), many.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task A_thousand_concurrent_lookups_of_one_unknown_credential_send_one_query()
    {
        // The store's own queries only (other classes run theirs in parallel on other providers' meters).
        var meter = fixture.Services.GetRequiredService<StorageTelemetry>().Meter;
        var queries = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == StorageTelemetry.DurationInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == StorageTelemetry.QueryNameTag && Equals(tag.Value, QueryNames.ParticipantByCredential))
                {
                    Interlocked.Increment(ref queries);
                }
            }
        });
        listener.Start();
        var credential = CredentialHash.Compute(Token());

        // A transaction holding participants in ACCESS EXCLUSIVE mode: the first query waits for it, so every other
        // lookup arrives while it is out (a host without the cache, in a burst of one unknown token).
        var lookups = new Task<Participant?>[1000];
        await using (var hold = await fixture.DataSource.OpenConnectionAsync())
        {
            await using (var command = new Npgsql.NpgsqlCommand("BEGIN; LOCK TABLE participants IN ACCESS EXCLUSIVE MODE", hold))
            {
                await command.ExecuteNonQueryAsync();
            }

            for (var i = 0; i < lookups.Length; i++)
            {
                lookups[i] = Store.FindByCredentialAsync(credential).AsTask();
            }

            await EventKit.Testing.Eventually.TrueAsync(
                async () => await fixture.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= 1,
                "the first lookup waits for the lock");
        }

        var found = await Task.WhenAll(lookups);

        Assert.All(found, Assert.Null);
        Assert.Equal(1, Volatile.Read(ref queries));

        // Nothing is kept: the next lookup asks PostgreSQL again (the cache in front decides what to keep).
        Assert.Null(await Store.FindByCredentialAsync(credential));
        Assert.Equal(2, Volatile.Read(ref queries));
    }

    [Fact]
    public async Task Stores_only_the_hash_of_the_credential()
    {
        var token = "plain-token-" + Token();
        await Store.RegisterAsync(NewEvent(), [new NewParticipant("Hash Only", token)]);

        await using var command = fixture.DataSource.CreateCommand("SELECT count(*) FROM participants WHERE position(convert_to('plain-token', 'UTF8') in token_hash) > 0 OR name LIKE '%plain-token%'");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        await using var hash = fixture.DataSource.CreateCommand("SELECT count(*) FROM participants WHERE token_hash = $1");
        hash.Parameters.Add(new Npgsql.NpgsqlParameter { Value = CredentialHash.Compute(token).ToArray() });
        Assert.Equal(1L, (long)(await hash.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Prefers_the_active_holder_and_falls_back_to_an_inactive_one()
    {
        var eventId = NewEvent();
        var token = Token();
        var ids = await Store.RegisterAsync(eventId, [new NewParticipant("Old Badge", token, Status: ParticipantStatus.Revoked), new NewParticipant("New Badge", token)]);

        Assert.Equal(ids[1], (await Store.FindByCredentialAsync(CredentialHash.Compute(token)))!.Id);

        Assert.True(await Store.SetStatusAsync(ids[1], ParticipantStatus.Suspended));
        var inactive = await Store.FindByCredentialAsync(CredentialHash.Compute(token));
        Assert.NotNull(inactive);
        Assert.False(inactive.IsActive);
        Assert.False(await Store.SetStatusAsync(long.MaxValue, ParticipantStatus.Active));
    }

    [Fact]
    public async Task A_duplicate_credential_in_the_import_names_the_item_and_stores_nothing()
    {
        var eventId = NewEvent();
        var token = Token();
        var e = await Assert.ThrowsAsync<ParticipantImportException>(() => Store.RegisterAsync(eventId,
            [new NewParticipant("A", Token()), new NewParticipant("B", token), new NewParticipant("C", token)]));

        Assert.Equal(2, e.Index);
        Assert.Equal("credential", e.Field);
        Assert.DoesNotContain(token, e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE event_id = {eventId}"));
    }

    [Fact]
    public async Task A_credential_held_by_an_existing_active_participant_names_the_item_and_stores_nothing()
    {
        var taken = Token();
        await Store.RegisterAsync(NewEvent(), [new NewParticipant("Holder", taken)]);
        var eventId = NewEvent();

        var e = await Assert.ThrowsAsync<ParticipantImportException>(() => Store.RegisterAsync(eventId,
            [new NewParticipant("A", Token()), new NewParticipant("B", Token()), new NewParticipant("C", taken)]));

        Assert.Equal(2, e.Index);
        Assert.Equal(0L, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE event_id = {eventId}"));
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("bad-credential", "credential")]
    [InlineData("long-email", "email")]
    public async Task An_invalid_item_names_its_index_and_field(string problem, string field)
    {
        var bad = problem switch
        {
            "" => new NewParticipant(" ", Token()),
            "bad-credential" => new NewParticipant("X", "tab\tinside"),
            _ => new NewParticipant("X", Token(), new string('e', 300)),
        };
        var e = await Assert.ThrowsAsync<ParticipantImportException>(() => Store.RegisterAsync(NewEvent(), [new NewParticipant("Fine", Token()), bad]));
        Assert.Equal(1, e.Index);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public async Task Replacing_a_credential_makes_the_old_one_stop_resolving()
    {
        var (old, fresh, taken) = (Token(), Token(), Token());
        var ids = await Store.RegisterAsync(NewEvent(), [new NewParticipant("Mover", old), new NewParticipant("Other", taken)]);

        Assert.True(await Store.ReplaceCredentialAsync(ids[0], fresh));
        Assert.Null(await Store.FindByCredentialAsync(CredentialHash.Compute(old)));
        Assert.Equal(ids[0], (await Store.FindByCredentialAsync(CredentialHash.Compute(fresh)))!.Id);
        await Assert.ThrowsAsync<ParticipantImportException>(() => Store.ReplaceCredentialAsync(ids[0], taken));
        Assert.False(await Store.ReplaceCredentialAsync(long.MaxValue, Token()));
    }

    [Fact]
    public async Task Bulk_import_of_100000_participants_stores_all_in_input_order()
    {
        var eventId = NewEvent();
        var items = new NewParticipant[100_000];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new NewParticipant($"Bulk {i}", $"bulk-{eventId}-{i}", $"bulk{i}@example.org");
        }

        var ids = await Store.RegisterAsync(eventId, items);

        Assert.Equal(items.Length, ids.Count);
        Assert.Equal(items.Length, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE event_id = {eventId}"));
        var probe = await Store.FindByCredentialAsync(CredentialHash.Compute($"bulk-{eventId}-77777"));
        Assert.Equal(ids[77_777], probe!.Id);
        Assert.Equal("Bulk 77777", probe.Name);
    }

    [Fact]
    public async Task Search_matches_word_prefixes_in_name_and_email_in_keyset_pages()
    {
        var eventId = NewEvent();
        var items = Enumerable.Range(0, 25).Select(i => new NewParticipant($"Søren Kierkegaard {i}", Token(), $"soren{i}@example.dk"))
            .Append(new NewParticipant("Jean-Luc Picard", Token(), "captain@enterprise.example"))
            .ToArray();
        await Store.RegisterAsync(eventId, items);

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await Store.SearchAsync(eventId, "sør kierk", 10, cursor);
            Assert.True(page.Items.Count <= 10);
            seen.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
        Assert.Single((await Store.SearchAsync(eventId, "luc")).Items);
        Assert.Single((await Store.SearchAsync(eventId, "captain")).Items);
        Assert.Empty((await Store.SearchAsync(eventId, "')&|!:*")).Items);
        Assert.Empty((await Store.SearchAsync(NewEvent(), "picard")).Items);
        var cursorOfAnotherQuery = (await Store.SearchAsync(eventId, "søren", 10)).NextCursor;
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.SearchAsync(eventId, "other query", 10, cursorOfAnotherQuery));
    }

    [Fact]
    public async Task Search_finds_e_mail_addresses_by_the_whole_address_and_by_their_parts()
    {
        var eventId = NewEvent();
        var ids = await Store.RegisterAsync(eventId, [new NewParticipant("Ada Lovelace", Token(), "ada.king@analytical-engine.example.org"), new NewParticipant("Grace Hopper", Token(), "grace@navy.example")]);

        foreach (var query in new[] { "ada.king@analytical-engine.example.org", "analytical", "engine", "king", "ada.king", "example.org" })
        {
            Assert.Equal([ids[0]], (await Store.SearchAsync(eventId, query)).Items.Select(p => p.Id));
        }

        Assert.Equal(ids.Order(), (await Store.SearchAsync(eventId, "example")).Items.Select(p => p.Id));
        Assert.Empty((await Store.SearchAsync(eventId, "navy.example.org")).Items);
    }

    [Fact]
    public async Task Stores_ble_identities_and_lists_those_of_active_participants()
    {
        var eventId = NewEvent();
        var ids = await Store.RegisterAsync(eventId, [new NewParticipant("Beacon", Token()), new NewParticipant("Gone", Token(), Status: ParticipantStatus.Revoked), new NewParticipant("None", Token())]);
        var key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var identity = new BleIdentity(ids[0], key, 12, uint.MaxValue);

        Assert.True(await Store.SetAsync(identity));
        Assert.True(await Store.SetAsync(new BleIdentity(ids[1], key)));
        Assert.False(await Store.SetAsync(new BleIdentity(long.MaxValue, key)));

        var active = await Store.GetActiveAsync(eventId);
        Assert.Equal([identity], active);
    }

    [Fact]
    public void Prefix_query_keeps_only_letters_and_digits()
    {
        Assert.Equal("ada:* & love:*", PostgresParticipantStore.ToPrefixQuery("  Ada, LOVE!"));
        Assert.Equal("", PostgresParticipantStore.ToPrefixQuery("'&|!:*()"));
        Assert.Equal("a:* & b:* & c:*", PostgresParticipantStore.ToPrefixQuery("a'b\\c"));
    }
}
