using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// Sends at least 100,000 generated requests at every endpoint of an in-process host (TestServer) over the real
/// PostgreSQL and Redis, and asserts: no response ≥ 500, no exception logged as an error, bounded memory, and that the
/// database holds exactly what the successful responses reported (nothing from refused requests).
/// </summary>
public sealed class HttpFuzzTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const int Cases = 100_000;
    private const int Workers = 8;

    [Fact]
    public async Task Generated_requests_never_get_a_server_error()
    {
        var logs = new ErrorLog();
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix + "fuzz:", o =>
        {
            o.FailedAuthenticationsPerMinute = 0;
            o.GateRateLimitPerSecond = 0;
        }, logs: logs);

        var gate = await host.CreateGateAsync("Fuzz gate");
        var participants = await host.ImportAsync(("Fuzz One", ApiFixture.Token(), "active"), ("Fuzz Two", ApiFixture.Token(), "suspended"));
        using var gatewayResponse = await host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "fuzz gw", gateId = gate });
        var gatewayBody = await gatewayResponse.BodyAsync();
        var world = new World(gate, participants, host.ScannerKeys[gate], gatewayBody.GetProperty("id").GetInt64(), gatewayBody.GetProperty("apiKey").GetString()!);

        var baseline = await CountsAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var statuses = new ConcurrentDictionary<int, int>();
        var serverErrors = new ConcurrentQueue<string>();
        var created = new ConcurrentDictionary<string, long>();
        var next = -1;
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= Cases)
                {
                    return;
                }

                var random = new Random(20261202 + i);
                var (request, kind) = Generate(random, world);
                try
                {
                    using var response = await host.Client.SendAsync(request);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    var text = await response.Content.ReadAsStringAsync();
                    if (status >= 500)
                    {
                        serverErrors.Enqueue($"{status} {kind}: {text}");
                    }
                    else if (status is 200 or 201)
                    {
                        Tally(kind, text, created);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    serverErrors.Enqueue($"exception {kind}: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    request.Dispose();
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var after = await CountsAsync();
        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        var line = $"HTTP fuzz: {statuses.Values.Sum()} cases, {serverErrors.Count} server errors, {logs.Errors.Count} logged exceptions, managed heap {memoryBefore / 1048576} → {memoryAfter / 1048576} MiB; statuses {summary}";
        output.WriteLine(line);
        Console.WriteLine(line);

        Assert.Equal(Cases, statuses.Values.Sum() + serverErrors.Count(e => e.StartsWith("exception", StringComparison.Ordinal)));
        Assert.True(serverErrors.IsEmpty, string.Join("\n", serverErrors.Take(10)));
        Assert.True(logs.Errors.IsEmpty, string.Join("\n", logs.Errors.Take(10)));
        Assert.True(memoryAfter - memoryBefore < 256L * 1024 * 1024, $"managed heap grew by {(memoryAfter - memoryBefore) / 1048576} MiB");

        // Only successful requests wrote: every table holds the baseline plus what 200/201 responses reported.
        Assert.Equal(baseline.Gates + created.GetValueOrDefault("gate"), after.Gates);
        Assert.Equal(baseline.Participants + created.GetValueOrDefault("import"), after.Participants);
        Assert.Equal(baseline.Scanners + created.GetValueOrDefault("scanner"), after.Scanners);
        Assert.Equal(baseline.Gateways + created.GetValueOrDefault("gateway"), after.Gateways);
        Assert.Equal(baseline.Attendance + created.GetValueOrDefault("checkin"), after.Attendance);
    }

    private async Task<(long Gates, long Participants, long Scanners, long Gateways, long Attendance)> CountsAsync()
        => (await fixture.CountAsync("SELECT count(*) FROM gates"),
            await fixture.CountAsync("SELECT count(*) FROM participants"),
            await fixture.CountAsync("SELECT count(*) FROM scanners"),
            await fixture.CountAsync("SELECT count(*) FROM gateways"),
            await fixture.CountAsync("SELECT count(*) FROM attendance_records"));

    private static void Tally(string kind, string text, ConcurrentDictionary<string, long> created)
    {
        switch (kind)
        {
            case "gate.create" when text.Contains("\"id\"", StringComparison.Ordinal):
                created.AddOrUpdate("gate", 1, (_, n) => n + 1);
                break;
            case "scanner.create":
                created.AddOrUpdate("scanner", 1, (_, n) => n + 1);
                break;
            case "gateway.create":
                created.AddOrUpdate("gateway", 1, (_, n) => n + 1);
                break;
            case "import":
                var count = JsonDocument.Parse(text).RootElement.GetProperty("created").GetInt64();
                created.AddOrUpdate("import", count, (_, n) => n + count);
                break;
            case "checkin" when text.Contains("\"admitted\"", StringComparison.Ordinal):
                created.AddOrUpdate("checkin", 1, (_, n) => n + 1);
                break;
        }
    }

    private sealed record World(long Gate, long[] Participants, string ScannerKey, long Gateway, string GatewayKey);

    private static (HttpRequestMessage Request, string Kind) Generate(Random random, World world)
    {
        var id = random.Next(4) switch { 0 => world.Participants[0], 1 => world.Gate, 2 => random.NextInt64(), _ => random.Next(-5, 100) };
        var pathId = random.Next(10) == 0 ? FuzzInput.PercentJunk(random, 30, inPath: true) : id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (method, path, kind, admin, body) = random.Next(20) switch
        {
            0 or 1 or 2 or 3 or 4 => (HttpMethod.Post, "/api/v1/checkins", "checkin", false, Json(random, CheckInShape(random, world))),
            5 or 6 => (HttpMethod.Post, "/api/v1/participants", "import", true, Json(random, ImportShape(random))),
            7 => (HttpMethod.Patch, $"/api/v1/participants/{pathId}", "participant.patch", true, Json(random, "{\"status\":" + Value(random, "\"suspended\"") + ",\"credential\":" + Value(random, "\"" + ApiFixture.Token() + "\"") + "}")),
            8 => (HttpMethod.Post, "/api/v1/gates", "gate.create", true, Json(random, "{\"name\":" + Value(random, "\"Gate\"") + ",\"kind\":" + Value(random, "\"exit\"") + ",\"open\":" + Value(random, "true") + "}")),
            9 => (HttpMethod.Patch, $"/api/v1/gates/{pathId}", "gate.patch", true, Json(random, "{\"open\":" + Value(random, "true") + "}")),
            10 => (HttpMethod.Post, "/api/v1/scanners", "scanner.create", true, Json(random, "{\"name\":" + Value(random, "\"Scanner\"") + ",\"gateIds\":" + Value(random, $"[{world.Gate}]") + "}")),
            11 => (random.Next(2) == 0 ? HttpMethod.Delete : HttpMethod.Post, random.Next(2) == 0 ? $"/api/v1/scanners/{random.Next(-3, 1_000_000)}" : $"/api/v1/gateways/{random.Next(-3, 1_000_000)}/rotate-key", "revoke", true, null),
            12 => (HttpMethod.Post, "/api/v1/gateways", "gateway.create", true, Json(random, "{\"name\":" + Value(random, "\"gw\"") + ",\"gateId\":" + Value(random, world.Gate.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "}")),
            13 or 14 or 15 => (HttpMethod.Post, $"/api/v1/gateways/{(random.Next(4) == 0 ? pathId : world.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture))}/reports", "report", false, Report(random)),
            16 => (HttpMethod.Get, Read(random, pathId), "read", true, null),
            17 => (HttpMethod.Post, $"/api/v1/participants/{pathId}/ble-key", "ble-key", true, null),
            18 => (HttpMethod.Get, random.Next(2) == 0 ? "/health/live" : "/health/ready", "health", true, null),
            _ => (RandomMethod(random), "/api/v1/" + FuzzInput.PercentJunk(random, 20, inPath: true), "junk", random.Next(2) == 0, Json(random, "{}")),
        };

        var request = new HttpRequestMessage(method, path) { Content = body };
        if (admin && random.Next(10) != 0)
        {
            request.Headers.TryAddWithoutValidation("X-Admin-Key", ApiHost.AdminKey);
        }

        if (kind == "checkin" && random.Next(8) != 0)
        {
            request.Headers.TryAddWithoutValidation("X-Scanner-Key", random.Next(10) == 0 ? "eks_1_" + Junk(random, 43) : world.ScannerKey);
        }

        if (kind == "report" && random.Next(8) != 0)
        {
            request.Headers.TryAddWithoutValidation("X-Gateway-Key", random.Next(10) == 0 ? Junk(random, 43) : world.GatewayKey);
        }

        return (request, kind);
    }

    private static string Read(Random random, string id) => random.Next(5) switch
    {
        0 => $"/api/v1/participants/{id}",
        1 => $"/api/v1/participants?ids={id},{FuzzInput.PercentJunk(random, 10)}",
        2 => $"/api/v1/participants/search?q={FuzzInput.PercentJunk(random, random.Next(0, 300))}&limit={random.Next(-5, 2000)}&after={FuzzInput.PercentJunk(random, 30)}",
        3 => $"/api/v1/attendance?gateId={id}&from={FuzzInput.PercentJunk(random, 10)}&limit={random.Next(-5, 5000)}&after={FuzzInput.PercentJunk(random, 40)}",
        _ => "/api/v1/stats/gates",
    };

    private static string CheckInShape(Random random, World world)
        => "{\"gateId\":" + Value(random, world.Gate.ToString(System.Globalization.CultureInfo.InvariantCulture))
            + ",\"credential\":" + Value(random, "\"" + ApiFixture.Token() + "\"")
            + ",\"method\":" + Value(random, "\"qr\"")
            + (random.Next(2) == 0 ? ",\"requestId\":" + Value(random, "\"" + Guid.NewGuid() + "\"") : "")
            + (random.Next(3) == 0 ? ",\"occurredAt\":" + Value(random, "\"" + DateTimeOffset.UtcNow.AddMinutes(-random.Next(0, 3000)).ToString("O") + "\"") : "")
            + "}";

    private static string ImportShape(Random random)
    {
        var items = new StringBuilder("[");
        var n = random.Next(0, 4);
        for (var i = 0; i < n; i++)
        {
            items.Append(i == 0 ? "" : ",").Append("{\"name\":").Append(Value(random, "\"Person\"")).Append(",\"credential\":").Append(Value(random, "\"" + ApiFixture.Token() + "\""))
                .Append(",\"email\":").Append(Value(random, "\"a@b.c\"")).Append(",\"externalRef\":").Append(Value(random, "\"x\"")).Append(",\"status\":").Append(Value(random, "\"active\"")).Append('}');
        }

        return items.Append(']').ToString();
    }

    /// <summary>Usually the valid value; otherwise a wrong type, a huge number or string, NUL, a surrogate, deep nesting…</summary>
    private static string Value(Random random, string valid) => random.Next(14) switch
    {
        0 => "null",
        1 => "12345678901234567890123456789",
        2 => "1e999999",
        3 => "-0.000001",
        4 => "\"" + new string('x', random.Next(100, 20_000)) + "\"",
        5 => "\"a\\u0000b\"",
        6 => "\"\\ud800\"",
        7 => "\"\\udc00\\ud800x\"",
        8 => "{\"a\":[1,2,{}]}",
        9 => new string('[', random.Next(60, 5000)),
        10 => "\"\u0007bell\\t\\n\"",
        11 => "true",
        _ => valid,
    };

    private static HttpContent? Json(Random random, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(16))
        {
            case 0:
                bytes = bytes[..random.Next(0, bytes.Length + 1)]; // truncated
                break;
            case 1:
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100); // invalid UTF-8
                }

                break;
            case 2:
                bytes = new byte[random.Next(0, 2048)];
                random.NextBytes(bytes);
                break;
            case 3:
                bytes = Encoding.UTF8.GetBytes(new string('[', random.Next(100, 20_000)) + new string(']', random.Next(0, 100)));
                break;
            case 4:
                bytes = new byte[random.Next(17 * 1024, 200 * 1024)]; // oversize
                bytes.AsSpan().Fill((byte)' ');
                bytes[0] = (byte)'[';
                break;
        }

        HttpContent content = random.Next(12) == 0 ? new TrickleContent(bytes, random.Next(1, 64)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = random.Next(10) switch
        {
            0 => null,
            1 => new MediaTypeHeaderValue("text/plain"),
            2 => MediaTypeHeaderValue.Parse("application/json; charset=latin1"),
            3 => new MediaTypeHeaderValue("application/x-www-form-urlencoded"),
            _ => MediaTypeHeaderValue.Parse("application/json; charset=utf-8"),
        };
        return content;
    }

    private static HttpContent Report(Random random)
    {
        byte[] bytes;
        string type;
        switch (random.Next(4))
        {
            case 0:
                type = "application/x-ndjson";
                var lines = new StringBuilder();
                for (var i = random.Next(0, 20); i > 0; i--)
                {
                    lines.Append("{\"t\":").Append(Value(random, "1700000000000")).Append(",\"mac\":").Append(Value(random, "\"C6:A5:12:34:56:78\""))
                        .Append(",\"rssi\":").Append(Value(random, "-60")).Append(",\"adv\":").Append(Value(random, "\"0201061AFF4C000215" + Convert.ToHexString(RandomBytes(random, 20)) + "\"")).Append(random.Next(5) == 0 ? "" : "\n");
                }

                bytes = Encoding.UTF8.GetBytes(lines.ToString());
                break;
            case 1:
                type = "application/json";
                bytes = Encoding.UTF8.GetBytes("{\"data\":{\"nonce\":" + Value(random, "\"1\"") + ",\"timestamp\":" + Value(random, "\"1700000000\"") + ",\"gw_mac\":" + Value(random, "\"AA:BB:CC:DD:EE:FF\"")
                    + ",\"tags\":{\"C6:A5:12:34:56:78\":{\"rssi\":" + Value(random, "-60") + ",\"timestamp\":" + Value(random, "\"1700000000\"") + ",\"data\":" + Value(random, "\"02011A\"") + "}}}}");
                break;
            case 2:
                type = random.Next(2) == 0 ? "application/vnd.btsnoop" : "application/octet-stream";
                var capture = new List<byte>("btsnoop\0"u8.ToArray()) { 0, 0, 0, 1, 0, 0, (byte)(random.Next(2) == 0 ? 0x07 : 0x03), (byte)(random.Next(3) switch { 0 => 0xE9, 1 => 0xEA, _ => 0xD1 }) };
                for (var r = random.Next(0, 10); r > 0; r--)
                {
                    var hci = new List<byte> { 0x3E, (byte)random.Next(256), (byte)(random.Next(2) == 0 ? 0x02 : 0x0D), (byte)random.Next(256) };
                    hci.AddRange(RandomBytes(random, random.Next(0, 80)));
                    if (random.Next(2) == 0)
                    {
                        hci.Insert(0, 0x04);
                    }

                    var declared = random.Next(4) == 0 ? random.Next(0, 200) : hci.Count;
                    capture.AddRange([0, 0, 0, (byte)declared, 0, 0, 0, (byte)declared, 0, 0, 0, (byte)random.Next(4), 0, 0, 0, 0]);
                    capture.AddRange(RandomBytes(random, 8));
                    capture.AddRange(hci);
                }

                bytes = [.. capture];
                break;
            default:
                type = random.Next(2) == 0 ? "text/plain" : "application/x-ndjson";
                bytes = RandomBytes(random, random.Next(0, 4096));
                break;
        }

        HttpContent content = random.Next(10) == 0 ? new TrickleContent(bytes, random.Next(1, 32)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Junk(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(6) switch { 0 => '\0', 1 => (char)random.Next(0xD800, 0xE000), 2 => (char)random.Next(0, 32), _ => (char)random.Next(32, 0x3000) };
        }

        return new string(chars);
    }


    private static HttpMethod RandomMethod(Random random) => random.Next(5) switch
    {
        0 => HttpMethod.Get,
        1 => HttpMethod.Put,
        2 => HttpMethod.Delete,
        3 => HttpMethod.Patch,
        _ => HttpMethod.Post,
    };

    /// <summary>A body sent in small pieces with yields between them, as a slow uploader would.</summary>
    private sealed class TrickleContent(byte[] bytes, int chunk) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)));
                await stream.FlushAsync();
                await Task.Yield();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
