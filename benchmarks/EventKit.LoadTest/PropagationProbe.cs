using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventKit.LoadTest;

/// <summary>
/// L1 invalidation across nodes, measured while the wave runs: a participant's status is changed (revoked, then active
/// again, and so on) through one node directly, not the gateway, after the other nodes have it in their L1 (a read
/// first); then each other node is read directly (<c>GET /api/v1/participants/{id}</c>, which goes through the cached
/// directory) until it shows the new status. A few lanes of one change at a time, a pause between, so the wave barely notices.
/// The time per node runs from the changing node's answer (the change is acknowledged) to the first read that shows it;
/// a read's round trip is therefore the resolution.
/// </summary>
internal sealed class PropagationProbe(Func<IReadOnlyList<(string Id, Uri Address)>> liveNodes, string adminKey, long[] participants) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Uri, HttpClient> _clients = new();
    private readonly ConcurrentQueue<double> _fromAnswer = new();
    private readonly ConcurrentQueue<double> _fromRequest = new();
    private int _changes;
    private int _timeouts;
    private int _skipped;

    /// <summary>Changes applied (answered 200 by the changing node).</summary>
    public int Changes => Volatile.Read(ref _changes);

    /// <summary>Node reads that still showed the old status after 10 s.</summary>
    public int Timeouts => Volatile.Read(ref _timeouts);

    /// <summary>Rounds given up because a node did not answer (killed, overloaded).</summary>
    public int Skipped => Volatile.Read(ref _skipped);

    /// <summary>Per node and change: from the changing node's answer to the first read showing the change.</summary>
    public PropagationSummary FromAnswer => PropagationSummary.From(_fromAnswer);

    /// <summary>Per node and change: from sending the change to the first read showing it.</summary>
    public PropagationSummary FromRequest => PropagationSummary.From(_fromRequest);

    /// <summary>
    /// Runs <paramref name="lanes"/> independent change loops (each over its own share of the participants) until
    /// <paramref name="duration"/> has passed or <paramref name="maxChanges"/> changes were made.
    /// </summary>
    public Task RunAsync(TimeSpan duration, TimeSpan pause, int lanes, int maxChanges, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        return Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => LaneAsync(
            [.. participants.Where((_, i) => i % lanes == lane)],
            () => watch.Elapsed < duration && Changes < maxChanges && !cancellationToken.IsCancellationRequested,
            pause,
            lane,
            cancellationToken)));
    }

    private async Task LaneAsync(long[] ids, Func<bool> more, TimeSpan pause, int lane, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return;
        }

        var revoked = new bool[ids.Length];
        for (var round = 0; more(); round++)
        {
            var nodes = liveNodes();
            if (nodes.Count < 2)
            {
                break;
            }

            var index = round % ids.Length;
            var id = ids[index];
            var status = revoked[index] ? "active" : "revoked";
            var changer = nodes[(round + lane) % nodes.Count];
            var readers = nodes.Where(n => n.Address != changer.Address).ToArray();
            try
            {
                // The readers cache the participant as it is now.
                var before = await Task.WhenAll(readers.Select(r => StatusAsync(r.Address, id, cancellationToken))).ConfigureAwait(false);
                if (before.Any(s => s == status))
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                var sent = Stopwatch.GetTimestamp();
                using (var response = await Client(changer.Address).PatchAsJsonAsync($"api/v1/participants/{id}", new { status }, cancellationToken).ConfigureAwait(false))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _skipped);
                        continue;
                    }
                }

                var answered = Stopwatch.GetTimestamp();
                revoked[index] = !revoked[index];
                Interlocked.Increment(ref _changes);
                await Task.WhenAll(readers.Select(r => WaitForAsync(r.Address, id, status, sent, answered, cancellationToken))).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _skipped);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForAsync(Uri node, long id, string status, long sent, long answered, CancellationToken cancellationToken)
    {
        // Reads back off from 2 ms to 100 ms apart: fine resolution when it is fast, little load when it is slow.
        var delay = 2;
        while (Stopwatch.GetElapsedTime(answered) < Timeout)
        {
            if (await StatusAsync(node, id, cancellationToken).ConfigureAwait(false) == status)
            {
                var seen = Stopwatch.GetTimestamp();
                _fromAnswer.Enqueue(Stopwatch.GetElapsedTime(answered, seen).TotalMilliseconds);
                _fromRequest.Enqueue(Stopwatch.GetElapsedTime(sent, seen).TotalMilliseconds);
                return;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(100, delay * 2);
        }

        Interlocked.Increment(ref _timeouts);
    }

    private async Task<string?> StatusAsync(Uri node, long id, CancellationToken cancellationToken)
    {
        using var response = await Client(node).GetAsync($"api/v1/participants/{id}", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET participant {id} on {node}: {(int)response.StatusCode}");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return body.RootElement.GetProperty("status").GetString();
    }

    private HttpClient Client(Uri node) => _clients.GetOrAdd(node, address =>
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        return client;
    });

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
