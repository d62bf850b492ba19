namespace EventKit;

/// <summary>
/// Changes the number of EventKit nodes (starts or stops processes, patches a Deployment, calls a cloud API). The one
/// scaling hook of EventKit, defined here so that every package can ask for capacity without depending on another:
/// EventKit.Scaling's autoscaler calls it on the leader with an absolute replica count and the leader's fencing token;
/// EventKit.Monitoring's <c>scale_out</c> recovery action calls it with a relative request (one step more). Register
/// one in DI; without one the autoscaler only publishes its recommendation and <c>scale_out</c> raises an alert.
/// </summary>
public interface IScaleExecutor
{
    /// <summary>Asks for the capacity described by <paramref name="request"/>.</summary>
    /// <param name="request">What to scale to and why; see <see cref="ScaleRequest"/>.</param>
    /// <param name="cancellationToken">Cancels the request (the host stops).</param>
    /// <returns>What was done, for logs and audit entries ("requested 2 → 3 replicas").</returns>
    ValueTask<string> ScaleAsync(ScaleRequest request, CancellationToken cancellationToken);
}
