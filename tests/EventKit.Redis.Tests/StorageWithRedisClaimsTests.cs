using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventKit.Redis.Tests;

/// <summary>
/// Two nodes with storage and the Redis claims but no cache (<c>AddPostgresStorage()</c> + <c>AddRedisCheckInClaims()</c>):
/// idempotency and anti-passback hold across them through one Redis.
/// </summary>
public sealed class StorageWithRedisClaimsTests : IAsyncLifetime
{
    private readonly PostgresFixture _database = new();
    private readonly string _prefix = $"ek-test:{Guid.NewGuid():N}:";
    private IHost? _a;
    private IHost? _b;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _a = await StartNodeAsync();
        _b = await StartNodeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _a, _b })
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_second_node_answers_a_duplicate_for_a_passage_the_first_admitted()
    {
        var (gate, token) = await SeedAsync("Passback");
        var first = await Service(_a!).CheckInAsync(CheckInRequest.ForToken(gate, token));
        var second = await Service(_b!).CheckInAsync(CheckInRequest.ForToken(gate, token));

        Assert.Equal(CheckInStatus.Admitted, first.Status);
        Assert.Equal(CheckInStatus.Duplicate, second.Status);
        Assert.Equal(first.RecordId, second.RecordId);
        Assert.Equal(1L, await CountAsync(first.ParticipantId!.Value));
    }

    [Fact]
    public async Task Concurrent_scans_on_both_nodes_admit_once()
    {
        var (gate, token) = await SeedAsync("Racer");
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Service(i % 2 == 0 ? _a! : _b!).CheckInAsync(CheckInRequest.ForToken(gate, token)).AsTask()));

        var admitted = Assert.Single(results, r => r.Status == CheckInStatus.Admitted);
        Assert.All(results, r => Assert.Equal(admitted.RecordId, r.RecordId));
        Assert.Equal(1L, await CountAsync(admitted.ParticipantId!.Value));
    }

    [Fact]
    public async Task A_request_id_replayed_on_the_other_node_gets_the_first_answer()
    {
        var (gate, token) = await SeedAsync("Retry");
        var requestId = Guid.CreateVersion7();
        var first = await Service(_a!).CheckInAsync(CheckInRequest.ForToken(gate, token, requestId: requestId));
        var replay = await Service(_b!).CheckInAsync(CheckInRequest.ForToken(gate, token, requestId: requestId));

        Assert.Equal(CheckInStatus.Admitted, first.Status);
        Assert.Equal(first, replay);
        Assert.Equal(1L, await CountAsync(first.ParticipantId!.Value));
    }

    private async Task<IHost> StartNodeAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventKit(o => o.ReEntryWindow = TimeSpan.FromMinutes(5))
            .AddPostgresStorage(o => o.ConnectionString = _database.ConnectionString)
            .AddRedisCheckInClaims(o => o.KeyPrefix = _prefix)
            .AddRedis(o => o.Configuration = TestServers.Redis);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static ICheckInService Service(IHost host) => host.Services.GetRequiredService<ICheckInService>();

    private async Task<(long Gate, string Token)> SeedAsync(string name)
    {
        var gate = await _a!.Services.GetRequiredService<IGateRegistry>().CreateAsync(1, name, GateKind.Entrance, isOpen: true);
        var token = "T" + Guid.NewGuid().ToString("N");
        await _a.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, [new NewParticipant(name, token)]);
        return (gate.Id, token);
    }

    private async Task<long> CountAsync(long participantId)
    {
        await using var command = _database.DataSource.CreateCommand("SELECT count(*) FROM attendance_records WHERE participant_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = participantId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
