using EventKit.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EventKit.Redis.Internal;

internal sealed class RedisConnectionOptionsValidator : IValidateOptions<RedisConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisConnectionOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                {
                    failures.Add("EventKit:Redis:Configuration names no endpoint (expected host:port[,options]).");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"EventKit:Redis:Configuration is not a StackExchange.Redis configuration string: {e.Message}");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add("EventKit:Redis:KeyPrefix must not be empty.");
        }

        OptionRange.Check(failures, "EventKit:Redis:ConnectTimeout", options.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        OptionRange.Check(failures, "EventKit:Redis:DataLossCheckInterval", options.DataLossCheckInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
