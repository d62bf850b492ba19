using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>An in-process EventKit host (TestServer) over the real PostgreSQL and Redis.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    /// <summary>The credential pepper of every test host (required outside Development).</summary>
    public const string Pepper = "test-credential-pepper-0123456789abcdef";

    /// <summary>Hashes as the test hosts do (HMAC-SHA256 with <see cref="Pepper"/>).</summary>
    public static readonly CredentialHasher Hasher = new(Pepper);

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, System.Collections.Concurrent.ConcurrentDictionary<long, string>? scannerKeys)
    {
        _app = app;
        ScannerKeys = scannerKeys ?? new();
        Client = app.GetTestClient();
        Admin = app.GetTestClient();
        Admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
    }

    /// <summary>A client without credentials (scanners).</summary>
    public HttpClient Client { get; }

    /// <summary>A client sending the admin key.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public TestServer Server => _app.GetTestServer();

    public static async Task<ApiHost> StartAsync(string postgres, string? redis, string keyPrefix, Action<EventKitApiOptions>? api = null, Action<PostgresStorageOptions>? storage = null, System.Collections.Concurrent.ConcurrentDictionary<long, string>? scannerKeys = null, string? environment = null, ILoggerProvider? logs = null, Action<EventKitOptions>? eventKit = null, IReadOnlyDictionary<string, string?>? settings = null, bool operations = false, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment ?? "Production" });
        builder.WebHost.UseTestServer();
        if (settings is not null)
        {
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(builder.Configuration, settings);
        }

        builder.Logging.ClearProviders();
        builder.Services.Configure<BleKeyEncryptionOptions>(o => o.BleKeyEncryptionKey = BleKey);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.Services
            .AddEventKit(o =>
            {
                o.NodeId = "node-" + Guid.NewGuid().ToString("N")[..8];
                o.Security.CredentialPepper = Pepper;
                eventKit?.Invoke(o);
            })
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
                o.KeyPrefix = keyPrefix + "cache:";
                o.L2Timeout = TimeSpan.FromSeconds(1);
            })
            .AddCachedDirectories()
            .AddBleGates()
            .AddHttpApi(o =>
            {
                o.AdminKey = AdminKey;
                api?.Invoke(o);
            });
        if (operations)
        {
            // The /eventkit/* endpoints: monitoring (metrics, alerts, events, dashboard), Prometheus and scaling.
            builder.Services.AddEventKit()
                .AddMonitoring()
                .AddPrometheusMetrics()
                .AddScaling(o =>
                {
                    o.KeyPrefix = keyPrefix + "scaling:";
                    o.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
                    o.EvaluationInterval = TimeSpan.FromMilliseconds(500);
                });
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventKitApi();
        if (operations)
        {
            app.MapEventKitScaling();
        }

        await app.StartAsync();
        return new ApiHost(app, scannerKeys);
    }

    /// <summary>The BLE identity key encryption key of every test host (required outside Development with BLE gates).</summary>
    public const string BleKey = "k5RaslB171PWP/WdSkUG2fxx84974ouByb5ePCjyDNQ=";

    /// <summary>Scanner keys by gate: <see cref="CreateGateAsync"/> issues one for every gate it creates.</summary>
    /// <remarks>Another node over the same database shares this dictionary.</remarks>
    public System.Collections.Concurrent.ConcurrentDictionary<long, string> ScannerKeys { get; }

    public async Task<long> CreateGateAsync(string name = "Main", bool open = true, string kind = "entrance")
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/gates", new { name, kind, open });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var gate = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        ScannerKeys[gate] = await CreateScannerAsync(gate);
        return gate;
    }

    /// <summary>Issues a scanner key allowed at <paramref name="gateIds"/>.</summary>
    public async Task<string> CreateScannerAsync(params long[] gateIds)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Scanner", gateIds });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    /// <summary>Posts a check-in body with a scanner key (by default one allowed at some gate of this host).</summary>
    public Task<HttpResponseMessage> PostCheckInAsync(HttpContent content, string? scannerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checkins") { Content = content };
        var key = scannerKey ?? ScannerKeys.Values.FirstOrDefault();
        if (key is not null)
        {
            request.Headers.Add("X-Scanner-Key", key);
        }

        return Client.SendAsync(request);
    }

    /// <summary>Posts to the gate alias <c>/api/v1/gates/{gateId}/checkins</c> with the gate's scanner key (or <paramref name="scannerKey"/>).</summary>
    public Task<HttpResponseMessage> PostGateCheckInAsync(long gateId, object body, string? scannerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gates/{gateId}/checkins") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Scanner-Key", scannerKey ?? ScannerKeys[gateId]);
        return Client.SendAsync(request);
    }

    public async Task<long[]> ImportAsync(params (string Name, string Credential, string Status)[] people)
    {
        var body = people.Select(p => new { name = p.Name, credential = p.Credential, email = p.Name.ToLowerInvariant().Replace(' ', '.') + "@example.org", status = p.Status }).ToArray();
        using var response = await Admin.PostAsJsonAsync("/api/v1/participants", body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
    }

    /// <summary>A check-in with the gate's scanner key (a gate this host did not create: any scanner's key).</summary>
    public Task<HttpResponseMessage> CheckInAsync(long gateId, string credential, Guid? requestId = null, string method = "qr", DateTimeOffset? occurredAt = null)
        => PostCheckInAsync(JsonContent.Create(new { gateId, credential, method, requestId, occurredAt }), ScannerKeys.GetValueOrDefault(gateId));

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
