using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>Validates <see cref="MonitoringOptions"/> when the host starts; messages name the setting and its range.</summary>
internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    private const string Prefix = "EventKit:Monitoring:";

    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "MaxSeriesPerInstrument", options.MaxSeriesPerInstrument, 1, 10_000);
        Range(errors, "HistoryLimit", options.HistoryLimit, 10, 100_000);
        if (options.HealthProbeInterval != TimeSpan.Zero)
        {
            Range(errors, "HealthProbeInterval", options.HealthProbeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        }

        var webhook = options.Webhook;
        if (webhook.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{Prefix}Webhook:Url must be an absolute http or https URL (was {url}).");
        }

        Range(errors, "Webhook:MaxAttempts", webhook.MaxAttempts, 1, 20);
        Range(errors, "Webhook:RetryDelay", webhook.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Range(errors, "Webhook:Timeout", webhook.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        Range(errors, "Webhook:QueueCapacity", webhook.QueueCapacity, 1, 100_000);
        Range(errors, "Recovery:Cooldown", options.Recovery.Cooldown, TimeSpan.Zero, TimeSpan.FromDays(1));
        Range(errors, "Recovery:MaxPerHour", options.Recovery.MaxPerHour, 1, 1000);
        Range(errors, "Recovery:AuditLimit", options.Recovery.AuditLimit, 10, 100_000);

        var suggestions = options.Suggestions;
        Range(errors, "Suggestions:InitialDelay", suggestions.InitialDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, "Suggestions:Interval", suggestions.Interval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        Range(errors, "Suggestions:BusyRetryDelay", suggestions.BusyRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(errors, "Suggestions:SlowQueryMean", suggestions.SlowQueryMean, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        if (suggestions.CacheHitRatioTarget is < 0 or > 1 || double.IsNaN(suggestions.CacheHitRatioTarget))
        {
            errors.Add($"{Prefix}Suggestions:CacheHitRatioTarget must be between 0 and 1 (was {suggestions.CacheHitRatioTarget}).");
        }

        if (suggestions.MinimumCacheLookups is < 1 or > 1_000_000_000)
        {
            errors.Add($"{Prefix}Suggestions:MinimumCacheLookups must be between 1 and 1000000000 (was {suggestions.MinimumCacheLookups}).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var at = $"Rules:{i}:";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                errors.Add($"{Prefix}{at}Name is required.");
            }
            else if (!names.Add(rule.Name))
            {
                errors.Add($"{Prefix}{at}Name must be unique (was {rule.Name}, seen before).");
            }

            if (string.IsNullOrWhiteSpace(rule.Instrument) && rule.Enabled)
            {
                errors.Add($"{Prefix}{at}Instrument is required.");
            }

            Range(errors, at + "Window", rule.Window, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
            Range(errors, at + "For", rule.For, TimeSpan.Zero, TimeSpan.FromDays(1));
            Range(errors, at + "KeepFiringFor", rule.KeepFiringFor, TimeSpan.Zero, TimeSpan.FromDays(1));
            if (rule.Quantile is < 0 or > 1 || double.IsNaN(rule.Quantile))
            {
                errors.Add($"{Prefix}{at}Quantile must be between 0 and 1 (was {rule.Quantile}).");
            }

            if (rule.MinimumCount < 0)
            {
                errors.Add($"{Prefix}{at}MinimumCount must be between 0 and {long.MaxValue} (was {rule.MinimumCount}).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{setting} must be between {min} and {max} (was {value}).");
        }
    }

    private static void Range(List<string> errors, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{setting} must be between {min} and {max} (was {value}).");
        }
    }
}
