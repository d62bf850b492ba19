using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace EventKit.LoadTest;

/// <summary>Polls <c>GET /eventkit/scaling</c> on every live node directly (not through the gateway) every <paramref name="interval"/>.</summary>
internal sealed class ClusterWatcher(string adminKey, TimeSpan interval) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ClusterSample> _samples = new();

    public IReadOnlyList<ClusterSample> Samples => [.. _samples];

    public void Add(string nodeId, Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        _nodes[nodeId] = client;
    }

    public void Remove(string nodeId)
    {
        if (_nodes.TryRemove(nodeId, out var client))
        {
            client.Dispose();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                await Task.WhenAll(_nodes.ToArray().Select(n => PollAsync(n.Key, n.Value, cancellationToken))).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(string nodeId, HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync("eventkit/scaling", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            var at = Stopwatch.GetTimestamp();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = body.RootElement;
            var live = new List<string>();
            double inFlight = 0, cpu = 0;
            foreach (var node in root.GetProperty("nodes").EnumerateArray())
            {
                live.Add(node.GetProperty("nodeId").GetString()!);
                cpu += node.GetProperty("cpuUtilization").GetDouble();
                foreach (var load in node.GetProperty("load").EnumerateObject())
                {
                    inFlight += load.Value.GetProperty("inFlight").GetDouble();
                }
            }

            var count = Math.Max(1, live.Count);
            var recommendation = root.TryGetProperty("recommendation", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null;
            _samples.Enqueue(new ClusterSample(
                at,
                root.GetProperty("nodeId").GetString()!,
                root.GetProperty("leader").GetBoolean(),
                [.. live.Order(StringComparer.Ordinal)],
                recommendation?.GetProperty("currentReplicas").GetInt32(),
                recommendation?.GetProperty("desiredReplicas").GetInt32(),
                recommendation?.GetProperty("reason").GetString(),
                recommendation?.GetProperty("evaluatedAt").GetDateTimeOffset(),
                inFlight / count,
                cpu / count));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            // A killed or overloaded node: no sample this round.
        }
    }

    public void Dispose()
    {
        foreach (var client in _nodes.Values)
        {
            client.Dispose();
        }
    }
}
