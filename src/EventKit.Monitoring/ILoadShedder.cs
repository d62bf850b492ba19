namespace EventKit.Monitoring;

/// <summary>
/// Sheds load when the <see cref="RecoveryActionNames.ShedLoad"/> action runs (built-in rule <c>writer_backlog</c>): the
/// ingress answers new check-ins with 429/503 and <c>Retry-After</c> while the backlog is above its bound. Optional: the
/// component that limits check-in concurrency (EventKit.AspNetCore's limiter, or the host) registers one as a
/// singleton; without one the action is audited as failed and the alert stays the only signal.
/// </summary>
public interface ILoadShedder
{
    /// <summary>Starts shedding; the shedder decides when to stop (typically once the backlog is back under its bound).</summary>
    /// <param name="reason">Why (the rule's name and value), for the audit and logs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What was done, for the audit entry ("429 for new check-ins until the writer queue is under 5,000").</returns>
    ValueTask<string> ShedLoadAsync(string reason, CancellationToken cancellationToken);
}
