using EventKit;
using EventKit.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The packages bind their own configuration: EVENTKIT_POSTGRES, EVENTKIT_REDIS, EVENTKIT_ADMIN_KEY,
// EVENTKIT_CREDENTIAL_PEPPER and EVENTKIT_BLE_KEY_ENCRYPTION_KEY (or ConnectionStrings:eventkit-postgres,
// ConnectionStrings:eventkit-redis and the EventKit:* sections).
builder.Services
    .AddEventKit(o => o.EventId = 1)
    .AddPostgresStorage()       // migrations run at start, before anything that needs the schema
    .AddRedis()                 // one Redis connection, or the IConnectionMultiplexer you registered
    .AddRedisCheckInClaims()    // anti-passback and request-id replays across nodes
    .AddHybridCaching()
    .AddCachedDirectories()
    .AddBleGates()              // BLE gateways: POST /api/v1/gateways/{id}/reports
    .AddHttpApi();

var app = builder.Build();
app.MapEventKitApi();           // POST /api/v1/checkins answers 201 only after the row is committed
app.Run();
