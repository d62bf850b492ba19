namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>Creates a node of a compared cache.</summary>
internal static class CachePeers
{
    /// <summary>
    /// A node on <paramref name="redis"/> in the namespace <paramref name="prefix"/> (nodes with the same prefix share
    /// L2 and, where there is one, the backplane). <paramref name="eventKitL2Timeout"/> overrides EventKit's 50 ms
    /// L2 budget: the throughput rows raise it so that a slow moment on the shared machine cannot turn an L2 read
    /// into a (cheaper) factory call.
    /// </summary>
    public static CachePeer Create(PeerKind kind, string redis, string prefix, TimeSpan? eventKitL2Timeout = null) => kind switch
    {
        PeerKind.EventKit => new EventKitPeer(redis, prefix, eventKitL2Timeout),
        PeerKind.Microsoft => new MicrosoftPeer(redis, prefix),
        PeerKind.FusionCache => new FusionCachePeer(redis, prefix),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown peer."),
    };
}
