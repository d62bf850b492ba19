using Microsoft.Extensions.DependencyInjection;

namespace EventKit;

/// <summary>
/// Returned by <c>services.AddEventKit()</c>; each EventKit package adds its verbs to it as extension
/// methods (<c>.AddPostgresStorage()</c>, <c>.AddHybridCaching()</c>, …).
/// </summary>
public interface IEventKitBuilder
{
    /// <summary>The service collection EventKit registers into.</summary>
    IServiceCollection Services { get; }
}
