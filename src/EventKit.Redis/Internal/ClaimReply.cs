using StackExchange.Redis;

namespace EventKit.Redis.Internal;

/// <summary>The outcome of a claim call: whether Redis answered, and what.</summary>
internal readonly record struct ClaimReply(bool Ok, RedisResult? Result)
{
    public static ClaimReply Failed { get; } = new(false, null);
}
