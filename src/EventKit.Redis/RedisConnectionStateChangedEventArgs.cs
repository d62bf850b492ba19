namespace EventKit.Redis;

/// <summary>A change of the Redis connection's state.</summary>
/// <param name="state">What happened.</param>
/// <param name="isSubscription">Whether it concerns the pub/sub connection (messages may have been lost) rather than the interactive one.</param>
public sealed class RedisConnectionStateChangedEventArgs(RedisConnectionState state, bool isSubscription = false) : EventArgs
{
    /// <summary>What happened.</summary>
    public RedisConnectionState State { get; } = state;

    /// <summary>Whether it concerns the pub/sub connection rather than the interactive one.</summary>
    public bool IsSubscription { get; } = isSubscription;
}
