using EventKit.Testing;
using Microsoft.AspNetCore.Builder;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>
/// One test database and a Redis key prefix of its own, and the nodes (and gateways) a test starts on them; disposing
/// stops every one of them and drops the database.
/// </summary>
internal sealed class TestCluster(RedisFixture redis) : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    public PostgresFixture Postgres { get; } = new();

    /// <summary>The key prefix of this cluster's nodes (claims, cache and registry keys go under it).</summary>
    public string Prefix { get; } = $"{redis.KeyPrefix}{Guid.NewGuid().ToString("N")[..8]}:";

    /// <summary>Everything started so far, in order.</summary>
    public IReadOnlyList<WebApplication> Apps => _apps;

    public Task InitializeAsync() => Postgres.InitializeAsync();

    /// <summary>Starts a node (<see cref="TestNodes.StartAsync"/>) on this cluster's database and prefix.</summary>
    public async Task<(WebApplication App, Uri Url)> StartNodeAsync(
        string nodeId, string adminKey, string environment = "Production",
        Func<IEventKitBuilder, IEventKitBuilder>? extra = null, Action<WebApplication>? beforeApi = null)
    {
        var started = await TestNodes.StartAsync(Postgres, redis, Prefix, nodeId, adminKey, environment, extra, beforeApi);
        _apps.Add(started.App);
        return started;
    }

    /// <summary>Stops <paramref name="app"/> with the cluster.</summary>
    public void Add(WebApplication app) => _apps.Add(app);

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }
}
