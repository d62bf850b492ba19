using Microsoft.Extensions.DependencyInjection;
using System.Net;

namespace EventKit.AspNetCore.Tests;

/// <summary>Two hosts sharing one PostgreSQL database and one Redis behave as two nodes behind a load balancer.</summary>
public sealed class TwoNodeTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Anti_passback_holds_between_nodes()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await fixture.Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await fixture.Host.ImportAsync(("Roaming", token, "active"));

        using var first = await fixture.Host.CheckInAsync(gate, token);
        using var second = await other.CheckInAsync(gate, token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.BodyAsync()).GetProperty("recordId").GetGuid(), (await second.BodyAsync()).GetProperty("recordId").GetGuid());
    }

    [Fact]
    public async Task Concurrent_scans_on_both_nodes_write_one_record()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await fixture.Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var id = (await fixture.Host.ImportAsync(("Racing", token, "active")))[0];

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? fixture.Host : other).CheckInAsync(gate, token)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", id));
    }

    [Fact]
    public async Task A_request_id_replayed_on_the_other_node_gets_the_first_answer()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await fixture.Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var id = (await fixture.Host.ImportAsync(("Retrying", token, "active")))[0];
        var requestId = Guid.CreateVersion7();

        using var first = await fixture.Host.CheckInAsync(gate, token, requestId);
        using var replay = await other.CheckInAsync(gate, token, requestId);

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", id));
    }

    [Fact]
    public async Task Closing_a_gate_on_one_node_closes_it_on_the_other()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await fixture.Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await fixture.Host.ImportAsync(("Closer", token, "active"));
        using (var warm = await other.CheckInAsync(gate, ApiFixture.Token()))
        {
            Assert.Equal(HttpStatusCode.NotFound, warm.StatusCode); // gate now cached as open on the other node
        }

        using (await fixture.Host.Admin.PatchAsync($"/api/v1/gates/{gate}", System.Net.Http.Json.JsonContent.Create(new { open = false })))
        {
        }

        await Testing.Eventually.TrueAsync(
            async () =>
            {
                using var response = await other.CheckInAsync(gate, token);
                return response.StatusCode == HttpStatusCode.Conflict;
            },
            "the other node sees the gate closed");
    }

    [Fact]
    public async Task A_gate_changed_through_the_registry_drops_the_other_nodes_cached_stats()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await fixture.Host.CreateGateAsync();
        async Task<long[]> ActiveGatesOnOtherNodeAsync()
        {
            using var response = await other.Admin.GetAsync("/api/v1/stats/overall");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.BodyAsync()).GetProperty("activeGates").EnumerateArray().Select(g => g.GetInt64())];
        }

        // The other node now holds stats:overall and active_gates (one minute) with the gate open.
        Assert.Contains(gate, await ActiveGatesOnOtherNodeAsync());

        // Code on the first node closes it through IGateRegistry, with no HTTP endpoint involved.
        var registry = fixture.Host.Services.GetRequiredService<IGateRegistry>();
        Assert.True(await registry.SetOpenAsync(gate, isOpen: false));
        await Testing.Eventually.TrueAsync(async () => !(await ActiveGatesOnOtherNodeAsync()).Contains(gate), "the other node's cached stats drop the closed gate");

        // And a gate created through it appears there too.
        var eventId = fixture.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventKitOptions>>().Value.EventId;
        var created = await registry.CreateAsync(eventId, "Side", GateKind.Entrance, isOpen: true);
        await Testing.Eventually.TrueAsync(async () => (await ActiveGatesOnOtherNodeAsync()).Contains(created.Id), "the other node's cached stats show the new gate");
    }
}

public sealed class CacheWarmingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_starting_node_warms_its_L1_with_every_active_participant()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => ApiFixture.Token()).ToArray();
        var revoked = ApiFixture.Token();
        await fixture.Host.ImportAsync([.. tokens.Select((t, i) => ($"Warm {i}", t, "active")), ("Warm revoked", revoked, "revoked")]);

        await using var node = await fixture.StartAnotherNodeAsync();
        var statistics = node.Services.GetRequiredService<EventKit.Caching.IHybridCacheStatistics>();
        var directory = node.Services.GetRequiredService<IParticipantDirectory>();
        var before = statistics.GetSnapshot();

        foreach (var token in tokens)
        {
            Assert.NotNull(await directory.FindByCredentialAsync(ApiHost.Hasher.Compute(token)));
        }

        var after = statistics.GetSnapshot();
        Assert.Equal(before.FactoryCalls, after.FactoryCalls);
        Assert.Equal(tokens.Length, after.L1Hits - before.L1Hits);

        // Inactive participants are not warmed: they resolve through the database as before.
        Assert.Equal(ParticipantStatus.Revoked, (await directory.FindByCredentialAsync(ApiHost.Hasher.Compute(revoked)))!.Status);
        Assert.Equal(before.FactoryCalls + 1, statistics.GetSnapshot().FactoryCalls);
    }
}
