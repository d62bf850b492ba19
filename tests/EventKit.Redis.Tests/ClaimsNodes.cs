using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.Redis.Tests;

/// <summary>EventKit nodes with Redis claims over one test database, for the claims tests against dedicated Redis setups.</summary>
internal static class ClaimsNodes
{
    /// <summary>Starts a node on <paramref name="database"/> and the Redis at <paramref name="redisConfiguration"/>.</summary>
    public static async Task<IHost> StartAsync(PostgresFixture database, ILoggerProvider logs, string redisConfiguration, Action<RedisCheckInClaimsOptions>? claims = null, Action<RedisConnectionOptions>? redis = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        builder.Services.AddEventKit(o => o.ReEntryWindow = TimeSpan.FromMinutes(5))
            .AddPostgresStorage(o => o.ConnectionString = database.ConnectionString)
            .AddRedisCheckInClaims(o => claims?.Invoke(o))
            .AddRedis(o =>
            {
                o.Configuration = redisConfiguration;
                redis?.Invoke(o);
            });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Creates an open entrance and <paramref name="count"/> participants with random tokens.</summary>
    public static async Task<(long Gate, List<string> Tokens)> SeedAsync(IHost host, int count)
    {
        var gate = (await host.Services.GetRequiredService<IGateRegistry>().CreateAsync(1, "Main", GateKind.Entrance, isOpen: true)).Id;
        var tokens = new List<string>();
        var participants = new List<NewParticipant>();
        for (var i = 0; i < count; i++)
        {
            var token = "T" + Guid.NewGuid().ToString("N");
            tokens.Add(token);
            participants.Add(new NewParticipant($"P{i}", token));
        }

        await host.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, participants);
        return (gate, tokens);
    }

    /// <summary>Checks every token in at <paramref name="gate"/>, one after the other, alternating between the nodes.</summary>
    public static async Task<CheckInResult[]> ScanAsync(IReadOnlyList<IHost> nodes, long gate, IEnumerable<string> tokens)
    {
        var results = new List<CheckInResult>();
        var i = 0;
        foreach (var token in tokens)
        {
            results.Add(await nodes[i++ % nodes.Count].Services.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(gate, token)));
        }

        return [.. results];
    }

    /// <summary>Attendance records at <paramref name="gate"/> in PostgreSQL.</summary>
    public static async Task<long> CountAsync(PostgresFixture database, long gate)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT count(*) FROM attendance_records WHERE gate_id = {gate}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
