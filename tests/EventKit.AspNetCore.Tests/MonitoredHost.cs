using System.Net;
using System.Net.Http.Json;
using EventKit.Monitoring;
using EventKit.Storage;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// A TestServer host with <c>.AddMonitoring()</c> over a fresh PostgreSQL database and, unless left out, the real Redis
/// with EventKit's cache in front of the stores: what the <c>/eventkit/*</c> tests share. Disposing it stops the host
/// and drops the database.
/// </summary>
internal sealed class MonitoredHost : IAsyncDisposable
{
    private MonitoredHost(PostgresFixture postgres, RedisFixture? redis, WebApplication app)
    {
        Postgres = postgres;
        Redis = redis;
        App = app;
        Client = app.GetTestClient();
        Admin = app.GetTestClient();
        Admin.DefaultRequestHeaders.Add("X-Admin-Key", ApiHost.AdminKey);
    }

    public PostgresFixture Postgres { get; }

    public RedisFixture? Redis { get; }

    public WebApplication App { get; }

    /// <summary>Without the admin key.</summary>
    public HttpClient Client { get; }

    /// <summary>With the admin key.</summary>
    public HttpClient Admin { get; }

    /// <summary>Starts the host.</summary>
    /// <param name="monitoring">Monitoring options.</param>
    /// <param name="storage">Storage options after the connection string.</param>
    /// <param name="redis">Whether to add Redis, the cache and the cached directories.</param>
    /// <param name="extend">More verbs before monitoring and the HTTP API (Scaling, Prometheus), with the Redis fixture when there is one.</param>
    public static async Task<MonitoredHost> StartAsync(Action<MonitoringOptions>? monitoring = null, Action<PostgresStorageOptions>? storage = null, bool redis = true, Action<IEventKitBuilder, RedisFixture?>? extend = null)
    {
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        RedisFixture? redisFixture = null;
        if (redis)
        {
            redisFixture = new RedisFixture();
            await redisFixture.InitializeAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var eventKit = builder.Services
            .AddEventKit(o => o.Security.CredentialPepper = ApiHost.Pepper)
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = postgres.ConnectionString;
                storage?.Invoke(o);
            });
        if (redisFixture is not null)
        {
            eventKit
                .AddRedis(o =>
                {
                    o.Configuration = redisFixture.Configuration;
                    o.KeyPrefix = redisFixture.KeyPrefix;
                })
                .AddHybridCaching(o => o.KeyPrefix = redisFixture.KeyPrefix + "cache:")
                .AddCachedDirectories();
        }

        extend?.Invoke(eventKit, redisFixture);
        eventKit
            .AddMonitoring(o => monitoring?.Invoke(o))
            .AddHttpApi(o =>
            {
                o.AdminKey = ApiHost.AdminKey;

                // These hosts watch metrics, alerts and suggestions, not the scanner keys (ScannerKeyTests covers those).
                o.RequireScannerKeys = false;
                o.ConfirmUnauthenticatedCheckIns = true;
            });
        var app = builder.Build();
        app.MapEventKitApi();
        await app.StartAsync();
        return new MonitoredHost(postgres, redisFixture, app);
    }

    /// <summary>Imports <paramref name="tokens"/> as active participants and checks each in at <paramref name="gate"/> through <paramref name="via"/>, asserting every admission.</summary>
    public async Task AdmitAsync(long gate, IReadOnlyList<string> tokens, HttpClient via)
    {
        using (var import = await Admin.PostAsJsonAsync("/api/v1/participants", tokens.Select((t, i) => new { name = $"P {i}", credential = t, email = $"p{i}@example.org", status = "active" }).ToArray()))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        foreach (var token in tokens)
        {
            using var response = await via.PostAsJsonAsync("/api/v1/checkins", new { gateId = gate, credential = token, method = "qr" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }
}
