using System.Net;
using System.Net.Sockets;
using EventKit.AspNetCore;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>Real EventKit nodes on Kestrel over one test database and Redis, registered in the node registry.</summary>
internal static class TestNodes
{
    /// <summary>Starts a node with the HTTP API on a free port and returns it with its URL.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(
        PostgresFixture postgres, RedisFixture redis, string prefix, string nodeId, string adminKey, string environment = "Production",
        Func<IEventKitBuilder, IEventKitBuilder>? extra = null, Action<WebApplication>? beforeApi = null)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var eventKit = builder.Services.AddEventKit(o =>
            {
                o.NodeId = nodeId;
                o.Security.CredentialPepper = "gateway-test-credential-pepper-0123456789";
            })
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = postgres.ConnectionString;
                o.MinPoolSize = 0;
                o.MaxPoolSize = 10;
            })
            .AddRedis(o =>
            {
                o.Configuration = redis.Configuration;
                o.KeyPrefix = prefix;
            })
            .AddRedisCheckInClaims(o => o.KeyPrefix = prefix + "claims:")
            .AddScaling(o =>
            {
                o.NodeId = nodeId;
                o.AdvertisedUrl = $"http://127.0.0.1:{port}";
                o.KeyPrefix = prefix + "scaling:";
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
            });
        (extra?.Invoke(eventKit) ?? eventKit).AddHttpApi(o => o.AdminKey = adminKey);
        var app = builder.Build();
        beforeApi?.Invoke(app);
        app.MapEventKitApi();
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{port}"));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
