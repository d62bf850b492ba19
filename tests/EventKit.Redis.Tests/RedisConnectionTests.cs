using System.Net;
using System.Net.Sockets;
using EventKit.Redis.Internal;
using EventKit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Redis.Tests;

public sealed class RedisConnectionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Connects_when_the_host_starts_not_when_it_is_resolved()
    {
        using var host = Host(b => b.AddRedis(o => o.Configuration = redis.Configuration));
        var connection = host.Services.GetRequiredService<IRedisConnection>();
        Assert.True(connection.IsConfigured);
        Assert.Null(connection.Multiplexer);

        await host.StartAsync();
        Assert.True(connection.IsConnected);
        Assert.True(connection.TryGetDatabase(out var database));
        Assert.True(await database.PingAsync() >= TimeSpan.Zero);
        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(host)).Entries["redis"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_wrong_address_starts_the_host_and_readiness_says_why()
    {
        var logs = new ListLogger();
        var address = $"127.0.0.1:{FreePort()}";
        using var host = Host(b => b.AddRedis(o => o.Configuration = address), logs);

        await host.StartAsync();

        var entry = (await ReadinessAsync(host)).Entries["redis"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains(address, entry.Description, StringComparison.Ordinal);
        Assert.Contains("per node", entry.Description, StringComparison.Ordinal);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("did not answer", StringComparison.Ordinal));
        Assert.Contains(address, warning.Message, StringComparison.Ordinal);
        Assert.Contains("anti-passback", warning.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task RequireConnection_makes_an_unreachable_redis_unhealthy()
    {
        using var host = Host(b => b.AddRedis(o =>
        {
            o.Configuration = $"127.0.0.1:{FreePort()}";
            o.RequireConnection = true;
        }));
        await host.StartAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await ReadinessAsync(host)).Entries["redis"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Claims_readiness_is_degraded_while_per_node_and_unhealthy_with_RequireSharedClaims()
    {
        var address = $"127.0.0.1:{FreePort()}";
        using var lenient = Host(b => b.AddRedis(o => o.Configuration = address).AddRedisCheckInClaims());
        using var strict = Host(b => b.AddRedis(o => o.Configuration = address).AddRedisCheckInClaims(o => o.RequireSharedClaims = true));
        using var connected = Host(b => b.AddRedis(o => o.Configuration = redis.Configuration).AddRedisCheckInClaims(o => o.RequireSharedClaims = true));
        await lenient.StartAsync();
        await strict.StartAsync();
        await connected.StartAsync();

        var degraded = (await ReadinessAsync(lenient)).Entries["claims"];
        var unhealthy = (await ReadinessAsync(strict)).Entries["claims"];

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("per node", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("EventKit:Claims:RequireSharedClaims", unhealthy.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(connected)).Entries["claims"].Status);
        await lenient.StopAsync();
        await strict.StopAsync();
        await connected.StopAsync();
    }

    [Fact]
    public async Task A_malformed_configuration_fails_the_start_with_the_setting_named()
    {
        using var host = Host(b => b.AddRedis(o => o.Configuration = "127.0.0.1:56379,connectTimeout=soon"));
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("EventKit:Redis:Configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_multiplexer_from_DI_is_used_and_never_disposed()
    {
        await using var own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var host = Host(b =>
        {
            b.Services.AddSingleton<IConnectionMultiplexer>(own);
            b.AddRedis();
        });
        await host.StartAsync();
        var connection = (RedisConnection)host.Services.GetRequiredService<IRedisConnection>();
        Assert.Same(own, connection.Multiplexer);
        Assert.False(connection.OwnsConnection);
        await host.StopAsync();
        host.Dispose();

        Assert.True(own.IsConnected);
        Assert.True(await own.GetDatabase().PingAsync() >= TimeSpan.Zero);
    }

    [Fact]
    public async Task UseConnection_wins_over_a_configuration_string_and_is_not_disposed()
    {
        await using var own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var host = Host(b => b.AddRedis(o =>
        {
            o.Configuration = $"127.0.0.1:{FreePort()}";
            o.UseConnection(own);
        }));
        await host.StartAsync();
        Assert.Same(own, host.Services.GetRequiredService<IRedisConnection>().Multiplexer);
        await host.StopAsync();
        host.Dispose();
        Assert.True(own.IsConnected);
    }

    [Fact]
    public async Task A_connection_it_created_is_disposed_with_the_host()
    {
        var host = Host(b => b.AddRedis(o => o.Configuration = redis.Configuration));
        await host.StartAsync();
        var multiplexer = host.Services.GetRequiredService<IRedisConnection>().Multiplexer!;
        await host.StopAsync();
        host.Dispose();
        Assert.False(multiplexer.IsConnected);
    }

    [Theory]
    [InlineData("ConnectionStrings:eventkit-redis")]
    [InlineData("EVENTKIT_REDIS")]
    [InlineData("EventKit:Redis:Configuration")]
    public async Task The_address_comes_from_configuration(string key)
    {
        var address = $"127.0.0.1:{FreePort()}";
        using var host = Host(b => b.AddRedis(), configuration: new() { [key] = address, ["EventKit:Redis:KeyPrefix"] = "from-config:" });
        var connection = host.Services.GetRequiredService<IRedisConnection>();
        Assert.True(connection.IsConfigured);
        Assert.Equal(address, connection.Endpoint);
        Assert.Equal("from-config:", host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisConnectionOptions>>().Value.KeyPrefix);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_delegate_wins_over_configuration()
    {
        using var host = Host(b => b.AddRedis(o => o.Configuration = "10.0.0.1:1"), configuration: new() { ["EVENTKIT_REDIS"] = "127.0.0.1:1" });
        Assert.Equal("10.0.0.1:1", host.Services.GetRequiredService<IRedisConnection>().Endpoint);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_restarted_empty_redis_is_reported_as_data_loss()
    {
        await using var server = await DedicatedRedisServer.StartNewAsync();
        using var host = Host(b => b.AddRedis(o =>
        {
            o.Configuration = server.Configuration;
            o.DataLossCheckInterval = TimeSpan.FromMilliseconds(200);
        }));
        await host.StartAsync();
        var connection = host.Services.GetRequiredService<IRedisConnection>();
        var seen = new List<RedisConnectionState>();
        connection.StateChanged += (_, e) => { lock (seen) { seen.Add(e.State); } };
        Assert.Equal(0, connection.DataLossCount);

        // Restarted without persistence: everything is gone, whether or not the client noticed the drop.
        await server.StopAsync();
        await server.StartAsync();
        await Eventually.TrueAsync(() => connection.DataLossCount == 1, "the data loss is detected after the restart", TimeSpan.FromSeconds(30));
        lock (seen)
        {
            Assert.Contains(RedisConnectionState.DataLost, seen);
        }

        Assert.NotNull(connection.LastDataLoss);
        Assert.Equal(1L, (await ReadinessAsync(host)).Entries["redis"].Data["data_loss_count"]);

        // A flush while connected (no connection drop at all) is data loss too.
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].FlushAllDatabasesAsync();
        }

        await Eventually.TrueAsync(() => connection.DataLossCount == 2, "the flush is detected by the periodic check", TimeSpan.FromSeconds(30));

        // And a healthy Redis is not reported again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, connection.DataLossCount);
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_a_configured_redis_nothing_connects_and_readiness_is_healthy()
    {
        using var host = Host(b => b.AddRedis());
        await host.StartAsync();
        var connection = host.Services.GetRequiredService<IRedisConnection>();
        Assert.False(connection.IsConfigured);
        Assert.Null(await connection.ConnectAsync());
        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(host)).Entries["redis"].Status);
        await host.StopAsync();
    }

    private static IHost Host(Action<IEventKitBuilder> configure, ListLogger? logs = null, Dictionary<string, string?>? configuration = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        configure(builder.Services.AddEventKit());
        return builder.Build();
    }

    private static Task<HealthReport> ReadinessAsync(IHost host)
        => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
