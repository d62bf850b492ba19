using System.Globalization;
using EventKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Arguments: redis configuration, key prefix, node id, heartbeat ms, lease ms.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddEventKit()
    .AddRedis(o => o.Configuration = args[0])
    .AddScaling(o =>
    {
        o.KeyPrefix = args[1];
        o.NodeId = args[2];
        o.HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
        o.LeaseDuration = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture));
    });
using var host = builder.Build();
await host.RunAsync();
