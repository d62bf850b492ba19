using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.Internal;

/// <summary>
/// The check-in's second try for a token its current hash does not find: a participant stored under an older scheme
/// (plain SHA-256, a previous pepper) is admitted and re-hashed through <see cref="IParticipantRegistry"/>, so caches drop
/// any "unknown" they held for the current hash. Does nothing without a pepper or without <see cref="ICredentialHashMigration"/>.
/// </summary>
internal sealed class OutdatedCredentialUpgrader(CredentialHasher hasher, IServiceProvider services, ILogger<OutdatedCredentialUpgrader> logger)
{
    public async ValueTask<Participant?> FindAndUpgradeAsync(string token, CancellationToken cancellationToken)
    {
        if (!hasher.HasOutdatedSchemes
            || services.GetService<ICredentialHashMigration>() is not { } migration
            || !await migration.HasOutdatedParticipantHashesAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var participant = await migration.FindParticipantByOutdatedHashAsync(hasher.ComputeOutdated(token), cancellationToken).ConfigureAwait(false);
        if (participant is null || services.GetService<IParticipantRegistry>() is not { } registry)
        {
            return participant;
        }

        try
        {
            if (await registry.ReplaceCredentialAsync(participant.Id, token, cancellationToken).ConfigureAwait(false))
            {
                Log.CredentialRehashed(logger, participant.Id);
            }
        }
        catch (ParticipantImportException e)
        {
            // An active participant already holds the token under the current scheme: the check-in still answers for this one.
            Log.CredentialRehashFailed(logger, participant.Id, e);
        }

        return participant;
    }
}
