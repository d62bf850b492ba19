using EventKit.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal sealed class EventKitApiOptionsValidator(IServiceProvider services) : IValidateOptions<EventKitApiOptions>
{
    public ValidateOptionsResult Validate(string? name, EventKitApiOptions options)
    {
        var failures = new List<string>();
        if (options.AdminKey is not null && options.AdminKey.Length < 16)
        {
            failures.Add("EventKit:Api:AdminKey must be at least 16 characters (EVENTKIT_ADMIN_KEY).");
        }
        else if (!options.AllowAnonymousAdmin && options.AdminKey is null && !options.AdminKeys.Values.Any(k => !string.IsNullOrEmpty(k)))
        {
            failures.Add("EventKit:Api:AdminKey must be set to at least 16 characters (EVENTKIT_ADMIN_KEY), or named keys under EventKit:Api:AdminKeys, or EventKit:Api:AllowAnonymousAdmin set for local development.");
        }

        foreach (var (keyName, key) in options.AdminKeys)
        {
            if (!IsValidKeyName(keyName))
            {
                failures.Add($"EventKit:Api:AdminKeys: the name '{(keyName.Length > 50 ? keyName[..50] : keyName)}' must be 1 to 50 letters, digits, '-', '_' or '.', and not 'admin' or 'anonymous'.");
            }

            // An empty key retires the name (configuration reloads cannot always delete a key).
            if (key is { Length: > 0 and < 16 })
            {
                failures.Add($"EventKit:Api:AdminKeys:{keyName} must be at least 16 characters.");
            }
        }

        var development = (services.GetService(typeof(IHostEnvironment)) as IHostEnvironment)?.IsDevelopment() == true;
        if (!development && (services.GetService(typeof(IOptions<EventKitOptions>)) as IOptions<EventKitOptions>)?.Value.Security.CredentialPepper is null)
        {
            failures.Add("EventKit:Security:CredentialPepper (EVENTKIT_CREDENTIAL_PEPPER) must be set outside Development: credential hashes are keyed with it, so a copy of the database or Redis cannot test guessed tokens. Generate one with 'openssl rand -base64 48' and keep it out of the database.");
        }

        if (options.AllowAnonymousAdmin && !development)
        {
            failures.Add("EventKit:Api:AllowAnonymousAdmin is for the Development environment only (and serves loopback callers only); set EventKit:Api:AdminKey (EVENTKIT_ADMIN_KEY).");
        }
        if (!options.RequireScannerKeys && !development && !options.ConfirmUnauthenticatedCheckIns)
        {
            failures.Add("EventKit:Api:RequireScannerKeys = false lets anyone post check-ins; outside Development also set EventKit:Api:ConfirmUnauthenticatedCheckIns = true (trusted scanner networks only).");
        }

        if (options.FailedAuthenticationsPerMinute != 0)
        {
            OptionRange.Check(failures, "EventKit:Api:FailedAuthenticationsPerMinute", options.FailedAuthenticationsPerMinute, 1, 1_000_000);
        }

        OptionRange.Check(failures, "EventKit:Api:MaxCheckInBodyBytes", options.MaxCheckInBodyBytes, 1024, 1024 * 1024);
        OptionRange.Check(failures, "EventKit:Api:MaxManagementBodyBytes", options.MaxManagementBodyBytes, 1024, 4 * 1024 * 1024);
        OptionRange.Check(failures, "EventKit:Api:MaxImportBodyBytes", options.MaxImportBodyBytes, 64 * 1024, 256 * 1024 * 1024);
        OptionRange.Check(failures, "EventKit:Api:MaxImportItems", options.MaxImportItems, 1, 100_000);
        OptionRange.Check(failures, "EventKit:Api:MaxConcurrentReports", options.MaxConcurrentReports, 1, 256);
        OptionRange.Check(failures, "EventKit:Api:MaxQueuedReports", options.MaxQueuedReports, 0, 100_000);
        if (options.MaxConcurrentCheckIns is { } concurrent and not 0)
        {
            OptionRange.Check(failures, "EventKit:Api:MaxConcurrentCheckIns", concurrent, 1, 100_000);
        }

        if (options.MaxQueuedCheckIns is { } queued)
        {
            OptionRange.Check(failures, "EventKit:Api:MaxQueuedCheckIns", queued, 0, 100_000);
        }

        OptionRange.Check(failures, "EventKit:Api:OverloadRetryAfter", options.OverloadRetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        OptionRange.Check(failures, "EventKit:Api:MaxOverloadRetryAfter", options.MaxOverloadRetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        if (options.GateRateLimitPerSecond != 0)
        {
            OptionRange.Check(failures, "EventKit:Api:GateRateLimitPerSecond", options.GateRateLimitPerSecond, 1, 1_000_000);
            OptionRange.Check(failures, "EventKit:Api:GateRateLimitBurst", options.GateRateLimitBurst, 1, 10_000_000);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidKeyName(string name)
    {
        if (name.Length is 0 or > 50 || name is AdminKeyFilter.DefaultKeyName or AdminKeyFilter.Anonymous)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
