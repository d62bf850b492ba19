using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Redis.Internal;

internal sealed class RedisCheckInClaimsOptionsValidator : IValidateOptions<RedisCheckInClaimsOptions>
{
    private const string Section = "EventKit:Claims";

    public ValidateOptionsResult Validate(string? name, RedisCheckInClaimsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add($"{Section}:KeyPrefix must not be empty.");
        }

        OptionRange.Check(failures, $"{Section}:Timeout", options.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        OptionRange.Check(failures, $"{Section}:CircuitBreakerThreshold", options.CircuitBreakerThreshold, 1, 1000);
        OptionRange.Check(failures, $"{Section}:CircuitBreakDuration", options.CircuitBreakDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
