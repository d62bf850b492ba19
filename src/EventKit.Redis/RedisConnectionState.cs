namespace EventKit.Redis;

/// <summary>What happened to the Redis connection.</summary>
public enum RedisConnectionState
{
    /// <summary>The first connection attempt succeeded.</summary>
    Connected = 0,

    /// <summary>A connection failed or dropped; the multiplexer keeps retrying.</summary>
    Failed = 1,

    /// <summary>A connection came back after a failure.</summary>
    Restored = 2,

    /// <summary>Redis answers but no longer holds EventKit's epoch key: it restarted empty, failed over to a stale replica, or was flushed.</summary>
    DataLost = 3,
}
