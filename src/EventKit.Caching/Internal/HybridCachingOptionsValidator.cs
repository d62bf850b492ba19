using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>Validates <see cref="HybridCachingOptions"/> at start; every message names the setting and the allowed range.</summary>
internal sealed class HybridCachingOptionsValidator : IValidateOptions<HybridCachingOptions>
{
    private const string Section = "EventKit:Caching";

    public ValidateOptionsResult Validate(string? name, HybridCachingOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Length > 50)
        {
            failures.Add($"{Section}:Name must be 1 to 50 characters.");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Length > 100 || options.KeyPrefix.AsSpan().IndexOfAny(" \t\r\n*?[]") >= 0)
        {
            failures.Add($"{Section}:KeyPrefix must be 1 to 100 characters without whitespace or any of '*', '?', '[', ']'.");
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
}
