using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>Tests over real nodes (<see cref="TestNodes"/>): one test database, a Redis key prefix per test, the started apps disposed at the end.</summary>
public abstract class NodeTestsBase(RedisFixture redis) : IAsyncLifetime
{
    internal RedisFixture Redis { get; } = redis;

    internal PostgresFixture Postgres { get; } = new();

    internal string Prefix { get; } = $"{redis.KeyPrefix}{Guid.NewGuid().ToString("N")[..8]}:";

    internal List<WebApplication> Apps { get; } = [];

    internal Dictionary<WebApplication, Uri> Urls { get; } = [];

    public Task InitializeAsync() => Postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in Apps)
        {
            await app.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }

    internal static INodeRegistry Registry(WebApplication node) => node.Services.GetRequiredService<INodeRegistry>();

    internal HttpClient Client(WebApplication app) => new() { BaseAddress = Urls[app] };

    internal static async Task<JsonElement> CreateAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
