namespace EventKit.Scaling;

/// <summary>
/// The target side of fencing: a guarded resource remembers the highest token it has accepted and refuses any lower
/// one, so a leader that was paused or cut off and still believes it leads cannot act after its successor did.
/// </summary>
public interface IFencingGuard
{
    /// <summary>Accepts <paramref name="token"/> for <paramref name="resource"/> when it is at least the highest seen (atomically, in Redis).</summary>
    /// <param name="resource">The guarded resource's name.</param>
    /// <param name="token">The caller's fencing token.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> to go ahead; <see langword="false"/> when a newer holder acted already (or Redis did not answer).</returns>
    Task<bool> TryAcceptAsync(string resource, long token, CancellationToken cancellationToken = default);
}
