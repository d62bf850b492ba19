using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

/// <summary>Stores write peppered hashes with their version; rows of an older scheme are found and re-hashed.</summary>
public sealed class PostgresCredentialHashMigrationTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private const string Pepper = "storage-test-pepper-0123456789abcdef0123";

    private ServiceProvider Peppered(long eventId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventKit(o =>
        {
            o.EventId = eventId;
            o.Security.CredentialPepper = Pepper;
        }).AddPostgresStorage(o =>
        {
            o.ConnectionString = fixture.ConnectionString;
            o.MinPoolSize = 0;
            o.MaxPoolSize = 10;
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Peppered_stores_write_hmac_hashes_with_the_peppers_version()
    {
        await using var provider = Peppered(81);
        var hasher = provider.GetRequiredService<CredentialHasher>();
        var token = "storage-token-" + Guid.NewGuid().ToString("N");
        var id = (await provider.GetRequiredService<IParticipantRegistry>().RegisterAsync(81, [new NewParticipant("Hana Hmac", token)]))[0];
        var gate = await provider.GetRequiredService<IGateRegistry>().CreateAsync(81, "Hmac door", GateKind.Entrance, true);
        var scanner = await provider.GetRequiredService<IScannerRegistry>().CreateAsync(81, "Hmac scanner", [gate.Id]);
        var gateway = await provider.GetRequiredService<IGatewayRegistry>().RegisterAsync(81, "Hmac gateway", gate.Id);

        Assert.NotEqual(CredentialHash.Compute(token), hasher.Compute(token));
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE id = {id} AND token_hash = '\\x{hasher.Compute(token)}' AND hash_version = {hasher.Version}"));
        Assert.Equal(hasher.Compute(scanner.ApiKey), scanner.Scanner.ApiKeyHash);
        Assert.Equal(hasher.Compute(gateway.ApiKey), gateway.Gateway.ApiKeyHash);
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM scanners WHERE id = {scanner.Scanner.Id} AND hash_version = {hasher.Version}"));
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM gateways WHERE id = {gateway.Gateway.Id} AND hash_version = {hasher.Version}"));
        Assert.Equal(id, (await provider.GetRequiredService<IParticipantDirectory>().FindByCredentialAsync(hasher.Compute(token)))!.Id);
        Assert.Null(await provider.GetRequiredService<IParticipantDirectory>().FindByCredentialAsync(CredentialHash.Compute(token)));
    }

    [Fact]
    public async Task Outdated_rows_are_found_by_their_old_hash_and_rehashed_in_place()
    {
        // Written without a pepper (the fixture's own services): plain SHA-256, version 0.
        var token = "legacy-token-" + Guid.NewGuid().ToString("N");
        var id = (await fixture.Participants.RegisterAsync(82, [new NewParticipant("Leo Legacy", token)]))[0];
        var gate = await fixture.Gates.CreateAsync(82, "Legacy door", GateKind.Entrance, true);
        var scanner = await fixture.Services.GetRequiredService<IScannerRegistry>().CreateAsync(82, "Legacy scanner", [gate.Id]);
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE id = {id} AND token_hash = sha256(convert_to('{token}', 'UTF8')) AND hash_version = 0"));

        // A node of another event sharing the database neither finds nor re-hashes this event's rows (its pepper may differ).
        await using (var stranger = Peppered(83))
        {
            var strangers = stranger.GetRequiredService<ICredentialHashMigration>();
            Assert.Null(await strangers.FindParticipantByOutdatedHashAsync([CredentialHash.Compute(token)]));
            Assert.False(await strangers.UpgradeScannerKeyHashAsync(scanner.Scanner.Id, CredentialHash.Compute(scanner.ApiKey), stranger.GetRequiredService<CredentialHasher>().Compute(scanner.ApiKey)));
        }

        await using var provider = Peppered(82);
        var hasher = provider.GetRequiredService<CredentialHasher>();
        var migration = provider.GetRequiredService<ICredentialHashMigration>();
        Assert.True(await migration.HasOutdatedParticipantHashesAsync());
        Assert.Null(await migration.FindParticipantByOutdatedHashAsync([CredentialHash.Compute("nobody-holds-this-token")]));
        var found = await migration.FindParticipantByOutdatedHashAsync(hasher.ComputeOutdated(token));
        Assert.Equal(id, found!.Id);

        // The re-hash goes through the registry (which the cache decorates), then the current hash finds the row.
        Assert.True(await provider.GetRequiredService<IParticipantRegistry>().ReplaceCredentialAsync(id, token));
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM participants WHERE id = {id} AND token_hash = '\\x{hasher.Compute(token)}' AND hash_version = {hasher.Version}"));
        Assert.Null(await migration.FindParticipantByOutdatedHashAsync(hasher.ComputeOutdated(token)));

        Assert.True(await migration.UpgradeScannerKeyHashAsync(scanner.Scanner.Id, CredentialHash.Compute(scanner.ApiKey), hasher.Compute(scanner.ApiKey)));
        Assert.False(await migration.UpgradeScannerKeyHashAsync(scanner.Scanner.Id, CredentialHash.Compute(scanner.ApiKey), hasher.Compute(scanner.ApiKey)));
        Assert.Equal(hasher.Compute(scanner.ApiKey), (await provider.GetRequiredService<IScannerRegistry>().GetAsync(scanner.Scanner.Id))!.ApiKeyHash);
    }

    [Fact]
    public void Hash_versions_follow_the_pepper_and_outdated_candidates_cover_sha256_and_the_previous_pepper()
    {
        var plain = new CredentialHasher(pepper: null);
        var peppered = new CredentialHasher(Pepper);
        var rotated = new CredentialHasher("another-pepper-0123456789abcdef0123456", previousPepper: Pepper);

        Assert.Equal(0, plain.Version);
        Assert.Empty(plain.ComputeOutdated("some-token-value-1"));
        Assert.Equal(CredentialHash.Compute("some-token-value-1"), plain.Compute("some-token-value-1"));
        Assert.Equal(CredentialHash.FromBytes(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Pepper), "some-token-value-1"u8)), peppered.Compute("some-token-value-1"));
        Assert.InRange(peppered.Version, 1, short.MaxValue);
        Assert.NotEqual(peppered.Version, rotated.Version);
        Assert.Equal([CredentialHash.Compute("some-token-value-1"), peppered.Compute("some-token-value-1")], rotated.ComputeOutdated("some-token-value-1"));
        Assert.Throws<ArgumentException>(() => peppered.Compute("bad\0token"));
    }
}
