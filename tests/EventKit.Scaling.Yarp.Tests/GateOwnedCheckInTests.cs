using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Redis;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>
/// The gate-owned fast path on two real nodes (Kestrel, one PostgreSQL database, one Redis): check-ins sent to the node
/// that does not own the gate are passed to the owner and decided once; the owner decides admitted-on-memory check-ins
/// with no claim script in Redis (a cache read of a participant new to its L1 may still go to Redis); when the owner stops, the survivor takes the gate over, lets PostgreSQL decide for one
/// re-entry window, re-admits nobody and answers a replayed request id with its first admission.
/// </summary>
public sealed class GateOwnedCheckInTests(RedisFixture redis) : NodeTestsBase(redis), IClassFixture<RedisFixture>
{
    private const string AdminKey = "fastpath-test-admin-key-012345";
    private const string ProcessedBy = "X-EventKit-Processed-By";
    private static readonly TimeSpan ReEntryWindow = TimeSpan.FromSeconds(10);
    private static readonly AsyncLocal<ProfilingSession?> Profiling = new();
    private readonly Dictionary<WebApplication, long> _redisCommands = [];
    private readonly List<string> _redisCommandNames = [];

    [Fact]
    public async Task The_owner_decides_in_memory_other_nodes_forward_and_a_move_lets_PostgreSQL_decide_without_re_admitting()
    {
        var a = await StartNodeAsync("fast-a");
        var b = await StartNodeAsync("fast-b");
        await Eventually.TrueAsync(() => Registry(a).Nodes.Count == 2 && Registry(b).Nodes.Count == 2, "both nodes see each other");

        using var admin = Client(a);
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        var gate = (await CreateAsync(admin, "/api/v1/gates", new { name = "Hall", kind = "entrance" })).GetProperty("id").GetInt64();
        var scannerKey = (await CreateAsync(admin, "/api/v1/scanners", new { name = "Scanner", gateIds = new[] { gate } })).GetProperty("apiKey").GetString()!;
        var credentials = Enumerable.Range(0, 12).Select(i => $"fastpath-test-credential-{i:D4}").ToArray();
        using (var import = await admin.PostAsJsonAsync("/api/v1/participants", credentials.Select((c, i) => new { name = $"Guest {i}", credential = c }).ToArray()))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        var owner = a.Services.GetRequiredService<IGateOwnership>().OwnerOf(gate)!;
        Assert.Equal(owner, b.Services.GetRequiredService<IGateOwnership>().OwnerOf(gate));
        var (ownerApp, otherApp) = owner == "fast-a" ? (a, b) : (b, a);

        // Sent to the other node: passed to the owner, which decides it (503 only while the owner takes the lease).
        var first = Guid.NewGuid();
        var (status, body, decidedBy) = await CheckInAsync(otherApp, scannerKey, gate, credentials[0], first);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(owner, decidedBy);
        var firstRecord = body.GetProperty("recordId").GetGuid();

        // The same person again, at either node: one admission only; the replay of the first request id gets the first answer.
        Assert.Equal(HttpStatusCode.OK, (await CheckInAsync(ownerApp, scannerKey, gate, credentials[0], Guid.NewGuid())).Status);
        Assert.Equal(HttpStatusCode.OK, (await CheckInAsync(otherApp, scannerKey, gate, credentials[0], Guid.NewGuid())).Status);
        var replay = await CheckInAsync(otherApp, scannerKey, gate, credentials[0], first);
        Assert.Equal(HttpStatusCode.Created, replay.Status);
        Assert.Equal(firstRecord, replay.Body.GetProperty("recordId").GetGuid());

        // After one re-entry window of holding the lease, the owner decides from memory: no claim script in Redis per admission.
        await Task.Delay(ReEntryWindow + TimeSpan.FromMilliseconds(500));
        lock (_redisCommands)
        {
            _redisCommands[ownerApp] = 0;
            _redisCommandNames.Clear();
        }

        var requestIds = new Guid[credentials.Length];
        for (var i = 1; i < credentials.Length; i++)
        {
            requestIds[i] = Guid.NewGuid();
            Assert.Equal(HttpStatusCode.Created, (await CheckInAsync(ownerApp, scannerKey, gate, credentials[i], requestIds[i])).Status);
        }

        // No claim went through Redis: a claim script leaves the request's key ({prefix}claims:r:{id}) behind. Counting
        // EVALs in the request's flow also counted a gate lease taken again inline when a renewal ran late on a loaded
        // CI machine (a lease script, not a claim), so the commands are listed only.
        var database = ownerApp.Services.GetRequiredService<IRedisConnection>().Multiplexer!.GetDatabase();
        string commands;
        lock (_redisCommands)
        {
            commands = $"scripts in the owner's check-in flows: {_redisCommands[ownerApp]}; all commands: {string.Join(", ", _redisCommandNames)}";
        }

        for (var i = 1; i < credentials.Length; i++)
        {
            Assert.False(await database.KeyExistsAsync($"{Prefix}claims:r:{requestIds[i]:N}"), $"request {i} was claimed in Redis; {commands}");
        }

        // The owner stops: the survivor takes the gate (after the lease is released or expires) and lets PostgreSQL decide.
        await ownerApp.StopAsync();
        await Eventually.TrueAsync(() => Registry(otherApp).Nodes.Count == 1, "the survivor sees the owner leave");
        var survivor = Registry(otherApp).LocalNodeId;
        var moved = await CheckInAsync(otherApp, scannerKey, gate, credentials[1], requestIds[1]);
        Assert.Equal(HttpStatusCode.Created, moved.Status);
        Assert.Equal(survivor, moved.DecidedBy);
        for (var i = 2; i < credentials.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CheckInAsync(otherApp, scannerKey, gate, credentials[i], Guid.NewGuid())).Status);
        }

        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT participant_id) FROM attendance_records WHERE gate_id = $1", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = gate });
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(credentials.Length, reader.GetInt64(0));
        Assert.Equal(credentials.Length, reader.GetInt64(1));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string? DecidedBy)> CheckInAsync(WebApplication node, string scannerKey, long gate, string credential, Guid requestId)
    {
        using var client = Client(node);
        client.DefaultRequestHeaders.Add("X-Scanner-Key", scannerKey);
        (HttpStatusCode, JsonElement, string?) result = default;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await client.PostAsJsonAsync($"/api/v1/gates/{gate}/checkins", new { credential, method = "qr", requestId });
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.NotNull(response.Headers.RetryAfter);
                    return false;
                }

                result = (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.TryGetValues(ProcessedBy, out var by) ? by.Single() : null);
                return true;
            },
            "the gate's owner answers");
        return result;
    }

    private async Task<WebApplication> StartNodeAsync(string nodeId)
    {
        WebApplication? self = null;
        IConnectionMultiplexer? profiled = null;
        var (app, url) = await TestNodes.StartAsync(
            Postgres,
            Redis,
            Prefix,
            nodeId,
            AdminKey,
            extra: builder =>
            {
                builder.Services.Configure<EventKitOptions>(o => o.ReEntryWindow = ReEntryWindow);
                builder.Services.Configure<ScalingOptions>(o =>
                {
                    o.GateLeaseDuration = TimeSpan.FromSeconds(3);
                    o.GateLeaseSafetyMargin = TimeSpan.FromSeconds(1);
                });
                return builder.AddGateOwnedCheckInClaims();
            },
            beforeApi: web => web.Use(async (context, next) =>
            {
                // Counts the Redis commands issued in the flow of each check-in this node decides (StackExchange.Redis
                // profiling: background loops run in flows of their own and are not counted).
                var multiplexer = web.Services.GetRequiredService<IRedisConnection>().Multiplexer;
                if (multiplexer is not null && !ReferenceEquals(Interlocked.Exchange(ref profiled, multiplexer), multiplexer))
                {
                    multiplexer.RegisterProfiler(() => Profiling.Value);
                }

                var session = new ProfilingSession();
                Profiling.Value = session;
                await next(context);
                Profiling.Value = null;
                if (context.Request.Path.Value!.EndsWith("/checkins", StringComparison.Ordinal) && self is not null)
                {
                    // The claims run as Lua scripts (EVAL/EVALSHA); a cache read in the same flow (GET of a participant
                    // this node has not seen yet in L1) is the cache's business, not a claim, and is listed only.
                    var commands = session.FinishProfiling().Select(static c => c.Command).ToList();
                    lock (_redisCommands)
                    {
                        _redisCommands[self] = _redisCommands.GetValueOrDefault(self) + commands.Count(static c => c is "EVAL" or "EVALSHA");
                        _redisCommandNames.AddRange(commands);
                    }
                }
            }));
        self = app;
        Apps.Add(app);
        Urls[app] = url;
        return app;
    }
}
