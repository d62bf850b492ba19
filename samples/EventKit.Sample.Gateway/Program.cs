using EventKit;

// A YARP gateway in front of EventKit nodes: it discovers them from the node registry in Redis (EVENTKIT_REDIS or
// ConnectionStrings:eventkit-redis) and balances per request type. Each node runs with
// EventKit:Scaling:AdvertisedUrl set to the address this gateway reaches it at.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventKit()
    .AddRedis()
    .AddScaling(o => o.ObserveOnly = true);
builder.Services.AddReverseProxy().LoadFromEventKitNodes();

var app = builder.Build();
app.MapReverseProxy();
app.Run();
