using EventKit;
using EventKit.AspNetCore;

// The sample host: EventKit's packages composed from configuration (appsettings.json, environment,
// command line). EVENTKIT_POSTGRES, EVENTKIT_REDIS, EVENTKIT_CREDENTIAL_PEPPER and EVENTKIT_BLE_KEY_ENCRYPTION_KEY are
// what `./eventkit services env` exports (with EVENTKIT_ADMIN_KEY: what Production needs); `--urls` sets the listen address.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
// Each package binds its own configuration (section EventKit:*, ConnectionStrings:eventkit-postgres / eventkit-redis,
// EVENTKIT_POSTGRES / EVENTKIT_REDIS / EVENTKIT_ADMIN_KEY / EVENTKIT_CREDENTIAL_PEPPER); the delegates below only fill in local defaults.
var eventKit = builder.Services
    .AddEventKit()
    .AddPostgresStorage((_, o) => o.ConnectionString ??= SampleDefaults.Postgres)
    // One Redis connection shared by the cross-node check-in claims and the cache.
    .AddRedis((_, o) => o.Configuration ??= SampleDefaults.Redis)
    .AddRedisCheckInClaims()
    .AddHybridCaching()
    .AddCachedDirectories()
    .AddBleGates()
    .AddHttpApi((_, o) =>
    {
        // Outside Development an admin key is required (validated at start); locally it may be left out.
        o.AllowAnonymousAdmin = builder.Environment.IsDevelopment() && string.IsNullOrEmpty(o.AdminKey);
    });

// EventKit:Sample:Monitoring (set by `./eventkit demo --serve`): live windows, alerts and /eventkit/dashboard.
if (builder.Configuration.GetValue<bool>("EventKit:Sample:Monitoring"))
{
    eventKit.AddMonitoring();
}

// One of several nodes behind a balancer (`./eventkit demo --nodes 3`, samples/EventKit.Sample.Gateway): with
// EventKit:Scaling:AdvertisedUrl set the node joins the registry in Redis, and every answer names the node that gave it.
var advertisedUrl = builder.Configuration["EventKit:Scaling:AdvertisedUrl"];
if (!string.IsNullOrEmpty(advertisedUrl))
{
    eventKit.AddScaling();

    // EventKit:Sample:ScaleExecutorUrl (set by `./eventkit demo --nodes 3 --autoscale`): the leader's autoscaler posts
    // its requests there, and the demo starts or stops a local node.
    if (builder.Configuration["EventKit:Sample:ScaleExecutorUrl"] is { Length: > 0 } executorUrl)
    {
        var executorNode = builder.Configuration["EventKit:Scaling:NodeId"] ?? advertisedUrl;
        builder.Services.AddSingleton<IScaleExecutor>(new WebhookScaleExecutor(new Uri(executorUrl), executorNode));
    }
}

// The gate-owned fast path (EventKit:Scaling:GateOwnedClaims=true, off by default): each node decides the gates it owns
// in memory (no Redis round trip per check-in) and passes other gates' check-ins to their owner. Replaces the Redis claims.
if (builder.Configuration.GetValue<bool>("EventKit:Scaling:GateOwnedClaims"))
{
    eventKit.AddGateOwnedCheckInClaims();
}

// GET /sample/stats counts the admissions PostgreSQL decided (eventkit.checkin.degraded_decisions) with a meter listener.
builder.Services.AddSingleton<DegradedDecisionCounter>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!string.IsNullOrEmpty(advertisedUrl))
{
    var nodeId = app.Services.GetRequiredService<EventKit.Scaling.INodeRegistry>().LocalNodeId;
    app.Use((context, next) =>
    {
        context.Response.Headers["X-EventKit-Node"] = nodeId;
        return next(context);
    });
}

app.MapEventKitApi();
if (!string.IsNullOrEmpty(advertisedUrl))
{
    // GET /eventkit/scaling (admin key): this node, whether it leads, the live nodes, the leader's recommendation.
    app.MapEventKitScaling();
}

app.MapSampleStats();
app.Run();

/// <summary>Where `./eventkit services start` puts the local servers, for `dotnet run` without variables.</summary>
internal static class SampleDefaults
{
    public const string Postgres = "Host=127.0.0.1;Port=55432;Username=eventkit;Password=eventkit;Database=eventkit";
    public const string Redis = "127.0.0.1:56379";
}
