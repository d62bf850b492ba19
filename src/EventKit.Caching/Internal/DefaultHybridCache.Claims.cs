namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    /// <summary>The Redis tier, shared with <see cref="RedisCheckInClaims"/> (one connection, one circuit).</summary>
    internal RedisL2Store? L2Store => _l2;
}
