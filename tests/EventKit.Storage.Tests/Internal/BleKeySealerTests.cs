using System.Security.Cryptography;
using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.Storage.Tests.Internal;

/// <summary>BLE identity keys at rest: sealed with AES-GCM under the configured key, on the real PostgreSQL.</summary>
public sealed class BleKeySealerTests(BleKeySealerTests.Fixture fixture) : IClassFixture<BleKeySealerTests.Fixture>
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static long _nextEvent = 700;

    public sealed class Fixture : PostgresFixture
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await PostgresStorageMigrations.ApplyAsync(DataSource);
        }
    }

    private ServiceProvider Node(string? key, string? environment = null, params string[] previousKeys)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (environment is not null)
        {
            services.AddSingleton<IHostEnvironment>(new Environment(environment));
        }

        services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = fixture.ConnectionString;
            o.MinPoolSize = 0;
            o.MaxPoolSize = 5;
        });
        services.Configure<BleKeyEncryptionOptions>(o =>
        {
            o.BleKeyEncryptionKey = key;
            foreach (var previous in previousKeys)
            {
                o.BleKeyEncryptionPreviousKeys.Add(previous);
            }
        });
        return services.BuildServiceProvider();
    }

    private static Task StartSealingAsync(ServiceProvider node)
        => node.GetServices<IHostedService>().OfType<BleKeySealingHostedService>().Single().StartAsync(CancellationToken.None);

    private static async Task<(long EventId, long ParticipantId)> NewParticipantAsync(ServiceProvider node)
    {
        var eventId = Interlocked.Increment(ref _nextEvent);
        var ids = await node.GetRequiredService<IParticipantRegistry>().RegisterAsync(eventId, [new NewParticipant("Beacon", Guid.NewGuid().ToString("N"))]);
        return (eventId, ids[0]);
    }

    private async Task<(byte[]? Plain, byte[]? Sealed)> ReadRowAsync(long participantId)
    {
        await using var command = fixture.DataSource.CreateCommand("SELECT ble_identity_key, ble_identity_key_sealed FROM participants WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = participantId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1));
    }

    [Fact]
    public async Task Row_holds_no_plaintext_key_and_identities_resolve_after_a_restart_with_the_same_key()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        long eventId, participantId;
        BleIdentity identity;
        await using (var node = Node(KeyA))
        {
            (eventId, participantId) = await NewParticipantAsync(node);
            identity = new BleIdentity(participantId, key, 9, 1234);
            Assert.True(await node.GetRequiredService<IBleIdentityStore>().SetAsync(identity));
        }

        var (plain, sealedKey) = await ReadRowAsync(participantId);
        Assert.Null(plain);
        Assert.NotNull(sealedKey);
        Assert.Equal(46, sealedKey.Length);
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf(key));

        // A restarted node with the same key loads the same identity (so computes the same EIDs).
        await using (var restarted = Node(KeyA))
        {
            await StartSealingAsync(restarted);
            Assert.Equal([identity], await restarted.GetRequiredService<IBleIdentityStore>().GetActiveAsync(eventId));
        }
    }

    [Fact]
    public async Task Wrong_key_fails_at_start_and_on_load_naming_the_setting()
    {
        long eventId;
        await using (var node = Node(KeyA))
        {
            long participantId;
            (eventId, participantId) = await NewParticipantAsync(node);
            await node.GetRequiredService<IBleIdentityStore>().SetAsync(new BleIdentity(participantId, RandomNumberGenerator.GetBytes(16)));
        }

        await using var wrong = Node(KeyB);
        var atStart = await Assert.ThrowsAsync<InvalidOperationException>(() => StartSealingAsync(wrong));
        var onLoad = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.GetRequiredService<IBleIdentityStore>().GetActiveAsync(eventId));

        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", onLoad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_rows_are_sealed_at_start_and_previous_keys_re_sealed()
    {
        var plainKey = RandomNumberGenerator.GetBytes(16);
        var oldKey = RandomNumberGenerator.GetBytes(16);
        long eventId, plainId, oldId;

        // A Development node without a key stores plaintext (what every row looked like before migration 0007).
        await using (var development = Node(null, Environments.Development))
        {
            (eventId, plainId) = await NewParticipantAsync(development);
            await development.GetRequiredService<IBleIdentityStore>().SetAsync(new BleIdentity(plainId, plainKey));
        }

        Assert.Equal(plainKey, (await ReadRowAsync(plainId)).Plain);
        await using (var before = Node(KeyB))
        {
            var ids = await before.GetRequiredService<IParticipantRegistry>().RegisterAsync(eventId, [new NewParticipant("Old", Guid.NewGuid().ToString("N"))]);
            oldId = ids[0];
            await before.GetRequiredService<IBleIdentityStore>().SetAsync(new BleIdentity(oldId, oldKey));
        }

        var oldSeal = (await ReadRowAsync(oldId)).Sealed;
        await using var node = Node(KeyA, null, KeyB);
        await StartSealingAsync(node);

        var plainRow = await ReadRowAsync(plainId);
        var oldRow = await ReadRowAsync(oldId);
        Assert.Null(plainRow.Plain);
        Assert.NotNull(plainRow.Sealed);
        Assert.Equal(-1, plainRow.Sealed.AsSpan().IndexOf(plainKey));
        Assert.NotEqual(oldSeal, oldRow.Sealed);
        Assert.Equal(node.GetRequiredService<BleKeySealer>().CurrentKeyId, oldRow.Sealed![1]);

        // Only key A is needed from now on.
        await using var onlyA = Node(KeyA);
        var loaded = await onlyA.GetRequiredService<IBleIdentityStore>().GetActiveAsync(eventId);
        Assert.Equal(plainKey, loaded.Single(i => i.ParticipantId == plainId).IdentityKey.ToArray());
        Assert.Equal(oldKey, loaded.Single(i => i.ParticipantId == oldId).IdentityKey.ToArray());
    }

    [Fact]
    public async Task Without_a_key_identities_are_refused_outside_Development()
    {
        await using var production = Node(null, Environments.Production);
        var (eventId, participantId) = await NewParticipantAsync(production);
        var store = production.GetRequiredService<IBleIdentityStore>();

        var set = await Assert.ThrowsAsync<OptionsValidationException>(() => store.SetAsync(new BleIdentity(participantId, RandomNumberGenerator.GetBytes(16))));
        await Assert.ThrowsAsync<OptionsValidationException>(() => store.GetActiveAsync(eventId));

        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", set.Message, StringComparison.Ordinal);
        Assert.Equal((null, null), await ReadRowAsync(participantId));
    }

    [Fact]
    public void Malformed_keys_fail_validation_naming_the_setting()
    {
        using var node = Node("dG9vIHNob3J0", null, "not base64!");

        var error = Assert.Throws<OptionsValidationException>(() => node.GetRequiredService<IOptions<BleKeyEncryptionOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("EventKit:Security:BleKeyEncryptionKey (EVENTKIT_BLE_KEY_ENCRYPTION_KEY) must be 32 bytes", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("EventKit:Security:BleKeyEncryptionPreviousKeys:0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sealed_key_does_not_open_for_another_participant()
    {
        using var node = Node(KeyA);
        var sealer = node.GetRequiredService<BleKeySealer>();
        var key = RandomNumberGenerator.GetBytes(16);
        var sealedKey = sealer.Seal(5, key);
        var opened = new byte[16];

        Assert.True(sealer.TryOpen(5, sealedKey, opened));
        Assert.Equal(key, opened);
        Assert.False(sealer.TryOpen(6, sealedKey, opened));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
