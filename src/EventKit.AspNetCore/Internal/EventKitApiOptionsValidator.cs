using EventKit.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal sealed class EventKitApiOptionsValidator(IServiceProvider services) : IValidateOptions<EventKitApiOptions>
{
    public ValidateOptionsResult Validate(string? name, EventKitApiOptions options)
    {
        var failures = new List<string>();
        if (!options.AllowAnonymousAdmin && (options.AdminKey is null || options.AdminKey.Length < 16))
        {
            failures.Add("EventKit:Api:AdminKey must be set to at least 16 characters (EVENTKIT_ADMIN_KEY), or EventKit:Api:AllowAnonymousAdmin set for local development.");
        }

        var development = (services.GetService(typeof(IHostEnvironment)) as IHostEnvironment)?.IsDevelopment() == true;
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
        OptionRange.Check(failures, "EventKit:Api:MaxImportBodyBytes", options.MaxImportBodyBytes, 64 * 1024, 256 * 1024 * 1024);
        OptionRange.Check(failures, "EventKit:Api:MaxImportItems", options.MaxImportItems, 1, 100_000);
        OptionRange.Check(failures, "EventKit:Api:MaxConcurrentReports", options.MaxConcurrentReports, 1, 256);
        OptionRange.Check(failures, "EventKit:Api:MaxQueuedReports", options.MaxQueuedReports, 0, 100_000);
        if (options.GateRateLimitPerSecond != 0)
        {
            OptionRange.Check(failures, "EventKit:Api:GateRateLimitPerSecond", options.GateRateLimitPerSecond, 1, 1_000_000);
            OptionRange.Check(failures, "EventKit:Api:GateRateLimitBurst", options.GateRateLimitBurst, 1, 10_000_000);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
