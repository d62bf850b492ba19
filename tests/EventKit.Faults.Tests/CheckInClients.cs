using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EventKit.Faults.Tests;

/// <summary>
/// Concurrent scanners posting check-ins with their scanner key and a unique request id each; half of the scans repeat
/// a passage already admitted (same participant, same gate, inside the re-entry window). A check-in answered 503/429 or
/// lost on the wire is retried with the same request id, as a scanner would, after its Retry-After (capped at 1 s).
/// </summary>
internal sealed class CheckInClients : IAsyncDisposable
{
    /// <summary>Longer than any answer the host should take: a request still open then is counted as hung.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);

    private const int MaxAttempts = 5;
    private readonly HttpClient[] _hosts;
    private readonly string[] _tokens;
    private readonly long[] _gates;
    private readonly Stopwatch _clock;
    private readonly List<(int Participant, int Gate)> _admitted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;

    public CheckInClients(IReadOnlyList<Uri> hosts, string scannerKey, string[] tokens, long[] gates, int clients, Stopwatch clock)
    {
        _tokens = tokens;
        _gates = gates;
        _clock = clock;
        _hosts = hosts.Select(h =>
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, ConnectTimeout = TimeSpan.FromSeconds(5) }) { BaseAddress = h, Timeout = ClientTimeout };
            client.DefaultRequestHeaders.Add("X-Scanner-Key", scannerKey);
            return client;
        }).ToArray();
        _workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => ScanAsync(i))).ToArray();
    }

    public ConcurrentQueue<Observation> Observations { get; } = new();

    /// <summary>Whether some check-in that started at or after <paramref name="since"/> got a decision (201 or 200).</summary>
    public double? FirstSuccessAfter(double since)
        => Observations.Where(o => o.Started >= since && o.IsSuccess).Select(o => (double?)o.Ended).Min();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ScanAsync(int worker)
    {
        var random = new Random(worker * 7919 + Environment.TickCount);
        var host = worker % _hosts.Length;
        while (!_stop.IsCancellationRequested)
        {
            var (participant, gate) = Pick(random);
            var requestId = Guid.CreateVersion7();
            var body = Encoding.UTF8.GetBytes(
                $"{{\"gateId\":{_gates[gate].ToString(CultureInfo.InvariantCulture)},\"credential\":\"{_tokens[participant]}\",\"method\":\"qr\",\"requestId\":\"{requestId}\"}}");
            for (var attempt = 1; attempt <= MaxAttempts && !_stop.IsCancellationRequested; attempt++)
            {
                var observation = await PostAsync(host, body, requestId);
                Observations.Enqueue(observation);
                if (observation.Status == 201)
                {
                    lock (_admitted)
                    {
                        _admitted.Add((participant, gate));
                    }
                }

                if (observation.Status is not (Observation.Unreachable or 429 or 503))
                {
                    break;
                }

                await Pause(observation.Status == Observation.Unreachable ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task Pause(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private (int Participant, int Gate) Pick(Random random)
    {
        if (random.Next(2) == 0)
        {
            lock (_admitted)
            {
                if (_admitted.Count > 0)
                {
                    return _admitted[random.Next(_admitted.Count)];
                }
            }
        }

        return (random.Next(_tokens.Length), random.Next(_gates.Length));
    }

    private async Task<Observation> PostAsync(int host, byte[] body, Guid requestId)
    {
        var started = _clock.Elapsed.TotalSeconds;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await _hosts[host].PostAsync("api/v1/checkins", content, CancellationToken.None);
            var payload = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            var status = (int)response.StatusCode;
            return new Observation(started, _clock.Elapsed.TotalSeconds, status, response.Headers.RetryAfter is not null,
                status is 200 or 201 ? ReadRecordId(payload) : null, requestId, host);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            return new Observation(started, _clock.Elapsed.TotalSeconds, Observation.Hung, false, null, requestId, host);
        }
        catch (HttpRequestException)
        {
            return new Observation(started, _clock.Elapsed.TotalSeconds, Observation.Unreachable, false, null, requestId, host);
        }
    }

    private static Guid? ReadRecordId(byte[] payload)
    {
        using var json = JsonDocument.Parse(payload);
        return json.RootElement.TryGetProperty("recordId", out var id) && id.TryGetGuid(out var recordId) ? recordId : null;
    }

    /// <summary>For an observation's status in messages.</summary>
    public static string Describe(int status) => status switch
    {
        Observation.Unreachable => "unreachable",
        Observation.Hung => "hung",
        _ => ((HttpStatusCode)status).ToString(),
    };
}
