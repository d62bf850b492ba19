using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventKit.Gates.Ble;

namespace EventKit.LoadTest;

/// <summary>
/// Simulated BLE gateways: one per gate, each posting an NDJSON report every 250 ms with what it hears —
/// participants' phones broadcasting real Eddystone-EID adverts, walking up to the gate and away again
/// with noisy RSSI, plus strangers' devices that resolve to nobody.
/// </summary>
internal sealed class BleSimulator
{
    private const double MeasuredPowerAt1m = -59;
    private const double PathLossExponent = 2.5;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _client;
    private readonly (long Id, string Key, long Gate)[] _gateways;
    private readonly Phone[] _phones;
    private long _sightings;
    private long _resolved;
    private long _admitted;
    private long _rejected;
    private long _reports;
    private long _failedReports;

    private BleSimulator(HttpClient client, (long, string, long)[] gateways, Phone[] phones)
    {
        _client = client;
        _gateways = gateways;
        _phones = phones;
    }

    public long Sightings => Interlocked.Read(ref _sightings);

    public long Resolved => Interlocked.Read(ref _resolved);

    public long Admitted => Interlocked.Read(ref _admitted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Reports => Interlocked.Read(ref _reports);

    public long FailedReports => Interlocked.Read(ref _failedReports);

    public int Phones => _phones.Length;

    /// <summary>Called with each report's gate id and answer (the multi-node demo reads which node processed it).</summary>
    public Action<long, HttpResponseMessage>? ResponseObserver { get; set; }

    /// <summary>Registers a gateway per gate and provisions EID keys for <paramref name="phones"/> participants.</summary>
    public static async Task<BleSimulator> CreateAsync(HttpClient admin, long[] gates, long[] participantIds, int phones, TimeSpan duration, CancellationToken cancellationToken)
    {
        var gateways = new (long, string, long)[gates.Length];
        for (var i = 0; i < gates.Length; i++)
        {
            using var response = await admin.PostAsJsonAsync("api/v1/gateways", new { name = $"Gateway {i + 1}", gateId = gates[i] }, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            gateways[i] = (body.RootElement.GetProperty("id").GetInt64(), body.RootElement.GetProperty("apiKey").GetString()!, gates[i]);
        }

        // Phones belong to the least-scanned participants (the tail of the QR wave's Zipf ranks).
        var random = new Random(1121);
        var list = new Phone[Math.Min(phones, participantIds.Length)];
        for (var i = 0; i < list.Length; i++)
        {
            var participantId = participantIds[participantIds.Length - 1 - i];
            using var response = await admin.PostAsync($"api/v1/participants/{participantId}/ble-key", null, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var identity = new BleIdentity(
                participantId,
                Convert.FromHexString(body.RootElement.GetProperty("identityKey").GetString()!),
                (byte)body.RootElement.GetProperty("rotationExponent").GetInt32(),
                body.RootElement.GetProperty("clockOffset").GetUInt32());
            var startsAfter = TimeSpan.FromSeconds(random.NextDouble() * Math.Max(1, duration.TotalSeconds - 15));
            list[i] = new Phone(identity, random.Next(gates.Length), $"C6:A5:{i >> 16 & 0xFF:X2}:{i >> 8 & 0xFF:X2}:{i & 0xFF:X2}:01", startsAfter);
        }

        return new BleSimulator(admin, gateways, list);
    }

    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var random = new Random(2026);
        using var timer = new PeriodicTimer(Tick);
        while (DateTimeOffset.UtcNow - started < duration && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = DateTimeOffset.UtcNow;
            var elapsed = now - started;
            var reports = new Task[_gateways.Length];
            for (var g = 0; g < _gateways.Length; g++)
            {
                reports[g] = PostAsync(g, Report(g, now, elapsed, random), cancellationToken);
            }

            await Task.WhenAll(reports).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ingestion throughput (T10): <paramref name="senders"/> gateways post reports of <paramref name="linesPerReport"/>
    /// sightings as fast as they are answered, phones standing at their gate; returns the elapsed time.
    /// </summary>
    public async Task<TimeSpan> FloodAsync(TimeSpan duration, int senders, int linesPerReport, CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var tasks = new Task[senders];
        for (var s = 0; s < senders; s++)
        {
            var gateway = s % _gateways.Length;
            var phones = _phones.Where(p => p.Gate == gateway).ToArray();
            tasks[s] = Task.Run(async () =>
            {
                var random = new Random(gateway);
                while (stopwatch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                {
                    await PostAsync(gateway, FloodReport(phones, linesPerReport, random), cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return stopwatch.Elapsed;
    }

    private static string FloodReport(Phone[] phones, int lines, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var t = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(lines * 110);
        for (var i = 0; i < lines; i++)
        {
            var phone = phones[random.Next(phones.Length)];
            var rssi = (int)Math.Round(MeasuredPowerAt1m + 7.5 + (Gaussian(random) * 3));
            text.Append("{\"t\":").Append(t).Append(",\"mac\":\"").Append(phone.Mac).Append("\",\"rssi\":").Append(rssi.ToString(CultureInfo.InvariantCulture))
                .Append(",\"adv\":\"").Append(phone.AdvertHex(now)).Append("\"}\n");
        }

        return text.ToString();
    }

    private string Report(int gateway, DateTimeOffset now, TimeSpan elapsed, Random random)
    {
        var text = new StringBuilder(4096);
        var t = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        foreach (var phone in _phones)
        {
            if (phone.Gate != gateway || phone.DistanceAt(elapsed) is not { } distance)
            {
                continue;
            }

            var rssi = (int)Math.Round(MeasuredPowerAt1m - (10 * PathLossExponent * Math.Log10(distance)) + (Gaussian(random) * 3));
            var advert = phone.AdvertHex(now);
            text.Append("{\"t\":").Append(t).Append(",\"mac\":\"").Append(phone.Mac).Append("\",\"rssi\":").Append(rssi.ToString(CultureInfo.InvariantCulture)).Append(",\"adv\":\"").Append(advert).Append("\"}\n");
        }

        // Strangers: devices that advertise something, but no EID of this event.
        for (var i = 0; i < 5; i++)
        {
            text.Append("{\"t\":").Append(t).Append(",\"mac\":\"5A:").Append(random.Next(0x1000000).ToString("X6", CultureInfo.InvariantCulture).Insert(4, ":").Insert(2, ":"))
                .Append(":00:01\",\"rssi\":").Append(-60 - random.Next(30)).Append(",\"adv\":\"02011A0AFF4C0010050B1C5E2F10\"}\n");
        }

        return text.ToString();
    }

    private async Task PostAsync(int gateway, string body, CancellationToken cancellationToken)
    {
        var (id, key, gate) = _gateways[gateway];
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/gateways/{id}/reports") { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Add("X-Gateway-Key", key);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _reports);
            ResponseObserver?.Invoke(gate, response);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failedReports);
                return;
            }

            using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            Interlocked.Add(ref _sightings, summary.RootElement.GetProperty("sightings").GetInt32());
            Interlocked.Add(ref _resolved, summary.RootElement.GetProperty("resolved").GetInt32());
            Interlocked.Add(ref _admitted, summary.RootElement.GetProperty("admitted").GetInt32());
            Interlocked.Add(ref _rejected, summary.RootElement.GetProperty("rejected").GetInt32());
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failedReports);
        }
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A phone that walks from 12 m up to its gate at 1.2 m/s, lingers 3 s at 0.5 m, and walks away.</summary>
    private sealed record Phone(BleIdentity Identity, int Gate, string Mac, TimeSpan StartsAfter)
    {
        private string? _advert;
        private long _window = -1;

        /// <summary>The phone's current EID advert as hex; recomputed when its rotation window changes.</summary>
        public string AdvertHex(DateTimeOffset now)
        {
            var window = now.ToUnixTimeSeconds() >> Identity.RotationExponent;
            if (window != Volatile.Read(ref _window))
            {
                _advert = Convert.ToHexStringLower(EddystoneEid.CreateAdvert(Identity, now));
                Volatile.Write(ref _window, window);
            }

            return _advert!;
        }

        public double? DistanceAt(TimeSpan elapsed)
        {
            var t = (elapsed - StartsAfter).TotalSeconds;
            const double approach = (12 - 0.5) / 1.2;
            return t switch
            {
                < 0 => null,
                < approach => 12 - (1.2 * t),
                < approach + 3 => 0.5,
                < (2 * approach) + 3 => 0.5 + (1.2 * (t - approach - 3)),
                _ => null,
            };
        }
    }
}
