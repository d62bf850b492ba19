using EventKit.Internal;
using EventKit.Redis;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>Validates <see cref="HybridCachingOptions"/> at start; every message names the setting and the allowed range.</summary>
internal sealed class HybridCachingOptionsValidator(
    IOptions<RedisConnectionOptions>? redis = null,
    IOptions<RedisCheckInClaimsOptions>? claims = null) : IValidateOptions<HybridCachingOptions>
{
    private const string Section = "EventKit:Caching";

    public ValidateOptionsResult Validate(string? name, HybridCachingOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Length > 50)
        {
            failures.Add($"{Section}:Name must be 1 to 50 characters.");
        }

        CheckPrefix(failures, "KeyPrefix", options.KeyPrefix);
        CheckPrefix(failures, "ApplicationKeyPrefix", options.ApplicationKeyPrefix);
        CheckDisjoint(failures, $"{Section}:KeyPrefix", options.KeyPrefix, $"{Section}:ApplicationKeyPrefix", options.ApplicationKeyPrefix);
        foreach (var (setting, value) in OtherNamespaces())
        {
            CheckDisjoint(failures, $"{Section}:KeyPrefix", options.KeyPrefix, setting, value);
            CheckDisjoint(failures, $"{Section}:ApplicationKeyPrefix", options.ApplicationKeyPrefix, setting, value);
        }

        OptionRange.Check(failures, $"{Section}:L1Capacity", options.L1Capacity, 100, 50_000_000);
        OptionRange.Check(failures, $"{Section}:DefaultExpiration", options.DefaultExpiration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        OptionRange.Check(failures, $"{Section}:DefaultLocalExpiration", options.DefaultLocalExpiration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        OptionRange.Check(failures, $"{Section}:L2Timeout", options.L2Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        OptionRange.Check(failures, $"{Section}:CircuitBreakerThreshold", options.CircuitBreakerThreshold, 1, 1000);
        OptionRange.Check(failures, $"{Section}:CircuitBreakDuration", options.CircuitBreakDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        OptionRange.Check(failures, $"{Section}:StaleOnErrorMaxStaleness", options.StaleOnErrorMaxStaleness, TimeSpan.Zero, TimeSpan.FromDays(1));
        if (options.EagerRefreshFraction != 0)
        {
            OptionRange.Check(failures, $"{Section}:EagerRefreshFraction", options.EagerRefreshFraction, 0.1, 0.99);
        }

        OptionRange.Check(failures, $"{Section}:MaximumPayloadBytes", options.MaximumPayloadBytes, 1024, 64 * 1024 * 1024);
        OptionRange.Check(failures, $"{Section}:NegativeExpiration", options.NegativeExpiration, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionRange.Check(failures, $"{Section}:MemoryCompactionThreshold", options.MemoryCompactionThreshold, 0.1, 1.0);
        OptionRange.Check(failures, $"{Section}:MemoryCheckInterval", options.MemoryCheckInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        OptionRange.Check(failures, $"{Section}:HotKeyThreshold", options.HotKeyThreshold, 0, 1_000_000);
        OptionRange.Check(failures, $"{Section}:HotKeyLifetimeMultiplier", options.HotKeyLifetimeMultiplier, 1, 100);
        OptionRange.Check(failures, $"{Section}:HotKeyCapacity", options.HotKeyCapacity, 1, 1_000_000);
        if (options.WarmingInterval is { } interval)
        {
            OptionRange.Check(failures, $"{Section}:WarmingInterval", interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        }

        if (options.DefaultLocalExpiration > options.DefaultExpiration)
        {
            failures.Add($"{Section}:DefaultLocalExpiration ({options.DefaultLocalExpiration:c}) must not exceed {Section}:DefaultExpiration ({options.DefaultExpiration:c}).");
        }

        foreach (var kind in Enum.GetValues<CacheKind>())
        {
            var policy = options.Policies.For(kind);
            OptionRange.Check(failures, $"{Section}:Policies:{kind}:Expiration", policy.Expiration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
            if (policy.LocalExpiration is { } local && (local <= TimeSpan.Zero || local > policy.Expiration))
            {
                failures.Add($"{Section}:Policies:{kind}:LocalExpiration must be positive and not exceed its Expiration ({policy.Expiration:c}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPrefix(List<string> failures, string setting, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 100 || prefix.AsSpan().IndexOfAny(" \t\r\n*?[]") >= 0)
        {
            failures.Add($"{Section}:{setting} must be 1 to 100 characters without whitespace or any of '*', '?', '[', ']'.");
        }
    }

    /// <summary>Neither namespace may start with the other: a prefix removal in one would delete the other's keys.</summary>
    private static void CheckDisjoint(List<string> failures, string setting, string? prefix, string otherSetting, string? other)
    {
        if (!string.IsNullOrEmpty(prefix) && !string.IsNullOrEmpty(other)
            && (prefix.StartsWith(other, StringComparison.Ordinal) || other.StartsWith(prefix, StringComparison.Ordinal)))
        {
            failures.Add($"{setting} ('{prefix}') overlaps {otherSetting} ('{other}'): neither may start with the other, or removing cache entries by prefix could delete those keys.");
        }
    }

    /// <summary>The other Redis namespaces of EventKit's packages that the cache shares a connection with.</summary>
    private IEnumerable<(string Setting, string? Value)> OtherNamespaces()
    {
        if (redis?.Value.KeyPrefix is { Length: > 0 } redisPrefix)
        {
            yield return ("the Redis epoch key (EventKit:Redis:KeyPrefix + \"epoch\")", redisPrefix + "epoch");
        }

        if (claims?.Value.KeyPrefix is { Length: > 0 } claimsPrefix)
        {
            yield return ("EventKit:Claims:KeyPrefix", claimsPrefix);
        }
    }
}
