using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>An in-process EventKit host (TestServer) over the real PostgreSQL and Redis.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly WebApplication _app;

    private ApiHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
        Admin = app.GetTestClient();
        Admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
    }

    /// <summary>A client without credentials (scanners).</summary>
    public HttpClient Client { get; }

    /// <summary>A client sending the admin key.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiHost> StartAsync(string postgres, string? redis, string keyPrefix, Action<EventKitApiOptions>? api = null, Action<PostgresStorageOptions>? storage = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services
            .AddEventKit(o => o.NodeId = "node-" + Guid.NewGuid().ToString("N")[..8])
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = postgres;
                o.Writer.MaxRetries = 3;
                o.Writer.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                storage?.Invoke(o);
            })
            .AddRedis(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = keyPrefix;
            })
            .AddRedisCheckInClaims(o => o.KeyPrefix = keyPrefix + "claims:")
            .AddHybridCaching(o =>
            {
                o.KeyPrefix = keyPrefix;
                o.L2Timeout = TimeSpan.FromSeconds(1);
            })
            .AddCachedDirectories()
            .AddBleGates()
            .AddHttpApi(o =>
            {
                o.AdminKey = AdminKey;
                api?.Invoke(o);
            });
        var app = builder.Build();
        app.MapEventKitApi();
        await app.StartAsync();
        return new ApiHost(app);
    }

    public async Task<long> CreateGateAsync(string name = "Main", bool open = true, string kind = "entrance")
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/gates", new { name, kind, open });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task<long[]> ImportAsync(params (string Name, string Credential, string Status)[] people)
    {
        var body = people.Select(p => new { name = p.Name, credential = p.Credential, email = p.Name.ToLowerInvariant().Replace(' ', '.') + "@example.org", status = p.Status }).ToArray();
        using var response = await Admin.PostAsJsonAsync("/api/v1/participants", body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
    }

    public Task<HttpResponseMessage> CheckInAsync(long gateId, string credential, Guid? requestId = null, string method = "qr", DateTimeOffset? occurredAt = null)
        => Client.PostAsJsonAsync("/api/v1/checkins", new { gateId, credential, method, requestId, occurredAt });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class Json
{
    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
