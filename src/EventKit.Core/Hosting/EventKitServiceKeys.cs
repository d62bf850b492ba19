namespace EventKit;

/// <summary>
/// Keys of keyed services that EventKit packages share, so that they compose whatever the order of the verbs.
/// </summary>
public static class EventKitServiceKeys
{
    /// <summary>
    /// The key under which a storage package registers its stores (<see cref="IParticipantDirectory"/>,
    /// <see cref="IGateDirectory"/>, <see cref="IParticipantRegistry"/>, <see cref="IGateRegistry"/>). The unkeyed
    /// service is what the pipeline uses: the store itself, or a decorator around the keyed store (the cache's).
    /// </summary>
    public const string Store = "EventKit.Store";

    /// <summary>
    /// The key under which EventKit.Caching registers the <c>HybridCache</c> that EventKit's own directories, warmers and
    /// statistics use (<c>[FromKeyedServices(EventKitServiceKeys.Cache)] HybridCache</c>). The application's unkeyed
    /// <c>HybridCache</c> is a separate instance: EventKit's only when <c>.RegisterAsHybridCache()</c> asks for it.
    /// </summary>
    public const string Cache = "EventKit.Cache";
}
