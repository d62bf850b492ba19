using EventKit.Scaling;
using EventKit.Scaling.Yarp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds EventKit's node discovery and load balancing to YARP.</summary>
public static class EventKitReverseProxyBuilderExtensions
{
    /// <summary>
    /// Loads YARP's configuration from EventKit's node registry (<see cref="EventKitProxyConfigProvider"/>) and adds
    /// the <see cref="EventKitLoadBalancingPolicy"/>. The host also needs the registry as a watcher:
    /// <c>services.AddEventKit().AddRedis().AddScaling(o =&gt; o.ObserveOnly = true)</c>.
    /// </summary>
    /// <param name="builder">YARP's builder (<c>services.AddReverseProxy()</c>).</param>
    /// <param name="configure">Configures <see cref="EventKitGatewayOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IReverseProxyBuilder LoadFromEventKitNodes(this IReverseProxyBuilder builder, Action<EventKitGatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventKitProxyConfigProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigProvider, EventKitProxyConfigProvider>(static provider => provider.GetRequiredService<EventKitProxyConfigProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, EventKitLoadBalancingPolicy>(static provider => new EventKitLoadBalancingPolicy(
            provider.GetService<INodeRegistry>() ?? throw new InvalidOperationException("LoadFromEventKitNodes() needs EventKit's node registry: add services.AddEventKit().AddRedis().AddScaling(o => o.ObserveOnly = true)."))));
        return builder;
    }
}
