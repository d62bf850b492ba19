using EventKit;

/// <summary>
/// The sample's <see cref="IScaleExecutor"/> (EventKit:Sample:ScaleExecutorUrl): posts each request of the leader's
/// autoscaler (desired and current counts, reason, fencing token, this node's id) as JSON to a URL and returns the
/// answer's text. <c>./eventkit demo --nodes 3 --autoscale</c> listens there and starts or stops a local node; an
/// operator could point it at any orchestrator hook. The receiver keeps the highest fencing token it saw.
/// </summary>
internal sealed class WebhookScaleExecutor(Uri url, string nodeId) : IScaleExecutor, IDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask<string> ScaleAsync(ScaleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = JsonContent.Create(new
        {
            nodeId,
            desiredReplicas = request.DesiredReplicas,
            currentReplicas = request.CurrentReplicas,
            fencingToken = request.FencingToken,
            reason = request.Reason,
        });
        using var response = await _client.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return $"{(int)response.StatusCode} {text}";
    }

    public void Dispose() => _client.Dispose();
}
