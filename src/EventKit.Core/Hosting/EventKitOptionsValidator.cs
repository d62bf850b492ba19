using Microsoft.Extensions.Options;

namespace EventKit.Internal;

/// <summary>Validates <see cref="EventKitOptions"/> at start; every message names the setting and the allowed range.</summary>
internal sealed class EventKitOptionsValidator : IValidateOptions<EventKitOptions>
{
    public ValidateOptionsResult Validate(string? name, EventKitOptions options)
    {
        var failures = new List<string>();
        if (options.EventId <= 0)
        {
            failures.Add($"EventKit:EventId must be positive (was {options.EventId}).");
        }

        if (!IsValidNodeId(options.NodeId))
        {
            failures.Add("EventKit:NodeId must be 1 to 100 characters of letters, digits, '-', '_' or '.'.");
        }

        OptionRange.Check(failures, "EventKit:ReEntryWindow", options.ReEntryWindow, TimeSpan.Zero, TimeSpan.FromHours(24));
        OptionRange.Check(failures, "EventKit:IdempotencyWindow", options.IdempotencyWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        OptionRange.Check(failures, "EventKit:ClaimsCapacity", options.ClaimsCapacity, 1_000, 100_000_000);
        OptionRange.Check(failures, "EventKit:MaxBackdate", options.MaxBackdate, TimeSpan.Zero, TimeSpan.FromDays(30));
        OptionRange.Check(failures, "EventKit:MaxFutureSkew", options.MaxFutureSkew, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionRange.Check(failures, "EventKit:EventRefreshInterval", options.EventRefreshInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        ValidateSecurity(failures, options.Security);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSecurity(List<string> failures, EventKitSecurityOptions? security)
    {
        if (security is null)
        {
            failures.Add("EventKit:Security must not be null.");
            return;
        }

        foreach (var (name, pepper) in (ReadOnlySpan<(string, string?)>)[("CredentialPepper", security.CredentialPepper), ("PreviousCredentialPepper", security.PreviousCredentialPepper)])
        {
            if (pepper is not null && System.Text.Encoding.UTF8.GetByteCount(pepper) < EventKitSecurityOptions.MinimumPepperBytes)
            {
                failures.Add($"EventKit:Security:{name} must be at least {EventKitSecurityOptions.MinimumPepperBytes} bytes (was {System.Text.Encoding.UTF8.GetByteCount(pepper)}); generate one with 'openssl rand -base64 48'.");
            }
        }

        if (security.PreviousCredentialPepper is { } previous)
        {
            if (security.CredentialPepper is not { } current)
            {
                failures.Add("EventKit:Security:PreviousCredentialPepper needs EventKit:Security:CredentialPepper (the pepper that replaces it).");
            }
            else if (CredentialHasher.VersionOf(previous) == CredentialHasher.VersionOf(current))
            {
                failures.Add("EventKit:Security:PreviousCredentialPepper must differ from EventKit:Security:CredentialPepper (and have a different hash version); generate a new pepper.");
            }
        }

        OptionRange.Check(failures, "EventKit:Security:MinimumTokenLength", security.MinimumTokenLength, 1, CredentialHash.MaxTokenLength);
    }

    private static bool IsValidNodeId(string? nodeId)
    {
        if (string.IsNullOrEmpty(nodeId) || nodeId.Length > 100)
        {
            return false;
        }

        foreach (var c in nodeId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
            {
                return false;
            }
        }

        return true;
    }
}
