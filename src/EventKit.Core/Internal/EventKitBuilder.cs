using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Internal;

internal sealed class EventKitBuilder(IServiceCollection services) : IEventKitBuilder
{
    public IServiceCollection Services { get; } = services;
}
