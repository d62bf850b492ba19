using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

public sealed class ScalingEndpointTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_leader_publishes_its_recommendation_with_reasons_and_the_keda_body()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddEventKit(o => o.Security.CredentialPepper = ApiHost.Pepper)
            .AddRedis(o => o.Configuration = redis.Configuration)
            .AddScaling(o =>
            {
                o.NodeId = "http-node";
                o.KeyPrefix = redis.KeyPrefix + "scaling:";
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
                o.EvaluationInterval = TimeSpan.FromMilliseconds(200);
            })
            .AddHttpApi(o => o.AdminKey = ApiHost.AdminKey);
        await using var app = builder.Build();
        app.MapEventKitScaling();
        await app.StartAsync();
        var client = app.GetTestClient();
        var anonymous = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiHost.AdminKey);

        JsonElement status = default;
        await Eventually.TrueAsync(
            async () =>
            {
                status = await client.GetFromJsonAsync<JsonElement>("/eventkit/scaling");
                return status.GetProperty("recommendation").ValueKind == JsonValueKind.Object;
            },
            "the leader has evaluated");
        Assert.Equal("http-node", status.GetProperty("nodeId").GetString());
        Assert.True(status.GetProperty("leader").GetBoolean());
        var recommendation = status.GetProperty("recommendation");
        Assert.Equal(1, recommendation.GetProperty("currentReplicas").GetInt32());
        Assert.Equal(2, recommendation.GetProperty("desiredReplicas").GetInt32()); // one node is below the minimum of 2
        Assert.Equal(4, recommendation.GetProperty("metrics").GetArrayLength());
        Assert.All(recommendation.GetProperty("metrics").EnumerateArray(), m => Assert.False(string.IsNullOrEmpty(m.GetProperty("reason").GetString())));

        var keda = await client.GetFromJsonAsync<JsonElement>("/eventkit/scaling/keda");
        Assert.Equal(2, keda.GetProperty("desiredReplicas").GetInt32());
        Assert.Equal(1, keda.GetProperty("currentReplicas").GetInt32());

        using var refused = await anonymous.GetAsync("/eventkit/scaling/keda");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await app.StopAsync();
    }
}
