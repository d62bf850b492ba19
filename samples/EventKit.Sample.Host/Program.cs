using EventKit;
using EventKit.AspNetCore;

// The sample host: EventKit's packages composed from configuration (appsettings.json, environment,
// command line). EVENTKIT_POSTGRES, EVENTKIT_REDIS and EVENTKIT_ADMIN_KEY are what
// `./eventkit services env` exports; `--urls` sets the listen address.
var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

builder.Services.AddProblemDetails();
builder.Services
    .AddEventKit((_, o) => configuration.GetSection(EventKitOptions.SectionName).Bind(o))
    .AddPostgresStorage((_, o) =>
    {
        o.ConnectionString = configuration["EVENTKIT_POSTGRES"] ?? SampleDefaults.Postgres;
        configuration.GetSection("EventKit:Storage").Bind(o);
    })
    // One Redis connection (EVENTKIT_REDIS, ConnectionStrings:eventkit-redis or EventKit:Redis, bound by the package)
    // shared by the cross-node check-in claims and the cache.
    .AddRedis((_, o) => o.Configuration ??= SampleDefaults.Redis)
    .AddRedisCheckInClaims()
    .AddHybridCaching()
    .AddCachedDirectories()
    .AddBleGates((_, o) => configuration.GetSection("EventKit:Ble").Bind(o))
    .AddHttpApi((_, o) =>
    {
        o.AdminKey = configuration["EVENTKIT_ADMIN_KEY"];
        // Outside Development an admin key is required (validated at start); locally it may be left out.
        o.AllowAnonymousAdmin = builder.Environment.IsDevelopment() && string.IsNullOrEmpty(o.AdminKey);
        configuration.GetSection("EventKit:Api").Bind(o);
    });

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapEventKitApi();
app.MapSampleStats();
app.Run();

/// <summary>Where `./eventkit services start` puts the local servers, for `dotnet run` without variables.</summary>
internal static class SampleDefaults
{
    public const string Postgres = "Host=127.0.0.1;Port=55432;Username=eventkit;Password=eventkit;Database=eventkit";
    public const string Redis = "127.0.0.1:56379";
}
