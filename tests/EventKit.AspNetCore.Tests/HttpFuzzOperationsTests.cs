using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// The fuzz suite's sibling for the endpoints <see cref="HttpFuzzTests"/> does not reach: the <c>/eventkit/*</c> monitoring
/// and scaling endpoints (suggestions included), <c>GET /metrics</c>, <c>GET /api/v1/audit</c>, <c>GET/PUT /api/v1/event</c>,
/// the gate and gateway lists, <c>POST /api/v1/gates/{gateId}/ble-replay</c> and the gate alias
/// <c>POST /api/v1/gates/{gateId}/checkins</c>. Asserts no response ≥ 500, no error logged, and that attendance rows
/// grew by exactly the alias check-ins answered "admitted".
/// </summary>
public sealed class HttpFuzzOperationsTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const int Cases = 20_000;
    private const int Workers = 8;

    [Fact]
    public async Task Generated_requests_to_operations_audit_and_the_gate_alias_never_get_a_server_error()
    {
        var logs = new ErrorLog();
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix + "fuzzops:", o =>
        {
            o.FailedAuthenticationsPerMinute = 0;
            o.GateRateLimitPerSecond = 0;
        }, logs: logs, operations: true);

        var gate = await host.CreateGateAsync("Fuzz alias gate");
        var other = await host.CreateGateAsync("Fuzz other gate");
        var token = ApiFixture.Token();
        await host.ImportAsync(("Fuzz Alias", token, "active"));
        var world = new World(gate, other, token, host.ScannerKeys[gate], host.ScannerKeys[other]);
        var attendanceBefore = await fixture.CountAsync("SELECT count(*) FROM attendance_records");

        // Before the scaling leader's first evaluation the KEDA endpoint answers 503 no_recommendation by design: wait for it.
        await EventKit.Testing.Eventually.TrueAsync(
            async () =>
            {
                using var keda = await host.Admin.GetAsync("/eventkit/scaling/keda");
                return keda.IsSuccessStatusCode;
            },
            "the scaling leader has evaluated");

        var statuses = new ConcurrentDictionary<int, int>();
        var serverErrors = new ConcurrentQueue<string>();
        var admitted = 0L;
        var next = -1;
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= Cases)
                {
                    return;
                }

                var random = new Random(20261203 + i);
                var (request, kind) = Generate(random, world);
                try
                {
                    // The event stream never ends by itself: its status is read from the headers, then the client hangs up.
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    using var response = await host.Client.SendAsync(request, kind == "events" ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status >= 500)
                    {
                        serverErrors.Enqueue($"{status} {kind} {request.Method} {request.RequestUri}: {await response.Content.ReadAsStringAsync()}");
                    }
                    else if (kind == "alias" && status == 201)
                    {
                        Interlocked.Increment(ref admitted);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    serverErrors.Enqueue($"exception {kind} {request.Method} {request.RequestUri}: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    request.Dispose();
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        var line = $"HTTP fuzz (operations, suggestions, audit, event, lists, BLE replay, gate alias): {statuses.Values.Sum()} cases, {serverErrors.Count} server errors, {logs.Errors.Count} logged exceptions; statuses {summary}";
        output.WriteLine(line);
        Console.WriteLine(line);

        Assert.True(serverErrors.IsEmpty, string.Join("\n", serverErrors.Take(10)));
        Assert.Equal(Cases, statuses.Values.Sum());
        Assert.True(logs.Errors.IsEmpty, string.Join("\n", logs.Errors.Take(10)));
        Assert.True(statuses.ContainsKey(200) && statuses.ContainsKey(401) && statuses.ContainsKey(400), summary);
        Assert.True(admitted > 0, "some alias check-ins were admitted");
        Assert.Equal(attendanceBefore + admitted, await fixture.CountAsync("SELECT count(*) FROM attendance_records"));
    }

    private sealed record World(long Gate, long OtherGate, string Token, string ScannerKey, string OtherScannerKey);

    private static (HttpRequestMessage Request, string Kind) Generate(Random random, World world)
    {
        var aliasGate = random.Next(5) == 0
            ? FuzzInput.PercentJunk(random, 8, inPath: true)
            : (random.Next(3) switch { 0 => world.OtherGate, 1 => random.NextInt64(-3, 1_000_000), _ => world.Gate }).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (method, path, kind, body) = random.Next(17) switch
        {
            0 => (HttpMethod.Get, "/eventkit/metrics" + Query(random), "metrics", (HttpContent?)null),
            1 => (HttpMethod.Get, "/eventkit/alerts" + Query(random), "alerts", null),
            2 => (HttpMethod.Post, "/eventkit/alerts/silences", "silence", Body(random, "{\"matchers\":" + Value(random, "{\"alertname\":\"api_p95_high\"}") + ",\"duration\":" + Value(random, "\"00:05:00\"") + ",\"comment\":" + Value(random, "\"fuzz\"") + "}")),
            3 => (HttpMethod.Get, "/eventkit/events" + Query(random), "events", null),
            4 => (HttpMethod.Get, "/eventkit/dashboard" + Query(random), "dashboard", null),
            5 => (HttpMethod.Get, (random.Next(2) == 0 ? "/eventkit/scaling" : "/eventkit/scaling/keda") + Query(random), "scaling", null),
            6 => (HttpMethod.Get, "/metrics" + Query(random), "prometheus", null),
            7 or 8 => (HttpMethod.Get, $"/api/v1/audit?limit={Value(random, "10")}&after={FuzzInput.PercentJunk(random, random.Next(0, 80))}", "audit", null),
            9 => (RandomMethod(random), "/eventkit/" + FuzzInput.PercentJunk(random, random.Next(1, 20), inPath: true), "junk", Body(random, "{}")),
            12 => (HttpMethod.Get, "/eventkit/suggestions" + Query(random), "suggestions", null),
            13 => (HttpMethod.Get, "/api/v1/event" + Query(random), "event", null),
            14 => (HttpMethod.Put, "/api/v1/event", "event.put", Body(random, "{\"name\":" + Value(random, "\"Fuzz event\"") + ",\"timeZone\":" + Value(random, "\"Europe/Berlin\"") + "}")),
            15 => (HttpMethod.Get, (random.Next(2) == 0 ? "/api/v1/gates" : "/api/v1/gateways") + $"?limit={Value(random, "10")}&after={FuzzInput.PercentJunk(random, random.Next(0, 40))}", "lists", null),
            16 => (HttpMethod.Post, $"/api/v1/gates/{aliasGate}/ble-replay", "ble-replay", Capture(random)),
            _ => (HttpMethod.Post, $"/api/v1/gates/{aliasGate}/checkins", "alias",
                Body(random, "{\"credential\":" + Value(random, "\"" + (random.Next(3) == 0 ? world.Token : ApiFixture.Token()) + "\"") + ",\"method\":" + Value(random, "\"qr\"")
                    + (random.Next(3) == 0 ? ",\"gateId\":" + Value(random, world.Gate.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "")
                    + (random.Next(2) == 0 ? ",\"requestId\":" + Value(random, "\"" + Guid.NewGuid() + "\"") : "") + "}")),
        };

        var request = new HttpRequestMessage(method, path) { Content = body };
        switch (random.Next(10))
        {
            case 0:
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("X-Admin-Key", Junk(random, random.Next(0, 64)));
                break;
            default:
                request.Headers.TryAddWithoutValidation("X-Admin-Key", ApiHost.AdminKey);
                break;
        }

        if (kind == "alias" && random.Next(8) != 0)
        {
            request.Headers.TryAddWithoutValidation("X-Scanner-Key", random.Next(6) switch { 0 => "eks_1_" + Junk(random, 43), 1 => world.OtherScannerKey, _ => world.ScannerKey });
        }

        return (request, kind);
    }

    /// <summary>A btsnoop header (sometimes) followed by random bytes, as a recording upload.</summary>
    private static ByteArrayContent Capture(Random random)
    {
        var header = random.Next(2) == 0 ? "btsnoop\0"u8.ToArray() : [];
        var bytes = new byte[header.Length + random.Next(0, 512)];
        header.CopyTo(bytes, 0);
        random.NextBytes(bytes.AsSpan(header.Length));
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(random.Next(4) == 0 ? "application/octet-stream" : "application/vnd.btsnoop");
        return content;
    }

    private static string Query(Random random) => random.Next(3) == 0 ? "?" + FuzzInput.PercentJunk(random, random.Next(0, 40)) + "=" + FuzzInput.PercentJunk(random, random.Next(0, 40)) : "";

    /// <summary>Usually the valid value; otherwise a wrong type, a huge number or string, NUL, a surrogate, deep nesting…</summary>
    private static string Value(Random random, string valid) => random.Next(12) switch
    {
        0 => "null",
        1 => "12345678901234567890123456789",
        2 => "-1",
        3 => "\"" + new string('x', random.Next(100, 20_000)) + "\"",
        4 => "\"a\\u0000b\"",
        5 => "\"\\ud800\"",
        6 => "{\"a\":[1,2,{}]}",
        7 => new string('[', random.Next(60, 5000)),
        8 => "\"99:99:99\"",
        _ => valid,
    };

    private static HttpContent Body(Random random, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(10))
        {
            case 0:
                bytes = bytes[..random.Next(0, bytes.Length + 1)];
                break;
            case 1:
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
                }

                break;
            case 2:
                bytes = new byte[random.Next(0, 2048)];
                random.NextBytes(bytes);
                break;
            case 3:
                bytes = new byte[random.Next(17 * 1024, 100 * 1024)];
                bytes.AsSpan().Fill((byte)' ');
                bytes[0] = (byte)'{';
                break;
        }

        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = random.Next(8) switch
        {
            0 => null,
            1 => new MediaTypeHeaderValue("text/plain"),
            2 => MediaTypeHeaderValue.Parse("application/json; charset=latin1"),
            _ => MediaTypeHeaderValue.Parse("application/json; charset=utf-8"),
        };
        return content;
    }

    private static string Junk(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(4) switch { 0 => (char)random.Next(0, 32), 1 => (char)random.Next(0xD800, 0xE000), _ => (char)random.Next(32, 0x3000) };
        }

        return new string(chars);
    }


    private static HttpMethod RandomMethod(Random random) => random.Next(4) switch
    {
        0 => HttpMethod.Get,
        1 => HttpMethod.Put,
        2 => HttpMethod.Delete,
        _ => HttpMethod.Post,
    };
}
