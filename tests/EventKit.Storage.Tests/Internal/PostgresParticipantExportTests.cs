using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresParticipantExportTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    [Fact]
    public async Task Streams_the_active_participants_of_an_event_with_their_credential_hashes()
    {
        var ids = await fixture.Participants.RegisterAsync(41, [
            new NewParticipant("Active One", "export-token-1"),
            new NewParticipant("Revoked", "export-token-2", Status: ParticipantStatus.Revoked),
            new NewParticipant("Active Two", "export-token-3"),
        ]);
        await fixture.Participants.RegisterAsync(42, [new NewParticipant("Elsewhere", "export-token-4")]);

        var exported = new List<ParticipantCredential>();
        await foreach (var item in fixture.Services.GetRequiredService<IParticipantExport>().ReadActiveAsync(41))
        {
            exported.Add(item);
        }

        Assert.Equal(
            [(ids[0], CredentialHash.Compute("export-token-1")), (ids[2], CredentialHash.Compute("export-token-3"))],
            exported.Select(e => (e.Participant.Id, e.Credential)).OrderBy(e => e.Item1));
    }
}
