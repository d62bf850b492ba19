using System.Globalization;
using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Validates <see cref="BleGateOptions"/> at start; every message names the setting and the allowed range.</summary>
internal sealed class BleGateOptionsValidator : IValidateOptions<BleGateOptions>
{
    private const string Prefix = "EventKit:Ble:";

    /// <summary>An Eddystone-UID instance is 6 bytes; an iBeacon's major·65536 + minor fits well within it.</summary>
    internal const ulong MaxBadgeNumber = (1UL << 48) - 1;

    public ValidateOptionsResult Validate(string? name, BleGateOptions options)
    {
        var failures = new List<string>();
        OptionRange.Check(failures, Prefix + "MaxAdvertLength", options.MaxAdvertLength, 31, 65_535);
        OptionRange.Check(failures, Prefix + "EidWindowsEitherSide", options.EidWindowsEitherSide, 0, 8);
        OptionRange.Check(failures, Prefix + "EmaAlpha", options.EmaAlpha, 0.01, 1);
        OptionRange.Check(failures, Prefix + "KalmanProcessNoise", options.KalmanProcessNoise, 0.0001, 100);
        OptionRange.Check(failures, Prefix + "KalmanMeasurementNoise", options.KalmanMeasurementNoise, 0.01, 1000);
        OptionRange.Check(failures, Prefix + "DefaultMeasuredPower", options.DefaultMeasuredPower, -120, 0);
        OptionRange.Check(failures, Prefix + "MinPlausibleTxPower", options.MinPlausibleTxPower, -128, 20);
        OptionRange.Check(failures, Prefix + "MaxPlausibleTxPower", options.MaxPlausibleTxPower, Math.Max(-100, options.MinPlausibleTxPower), 127);
        foreach (var (gateway, reference) in options.GatewayCalibrations)
        {
            OptionRange.Check(failures, Prefix + "GatewayCalibrations:" + gateway, reference, -120, 0);
        }

        OptionRange.Check(failures, Prefix + "PathLossExponent", options.PathLossExponent, 1, 6);
        OptionRange.Check(failures, Prefix + "EnterRadius", options.EnterRadius, 0.1, 50);
        OptionRange.Check(failures, Prefix + "ExitRadius", options.ExitRadius, 0.2, 100);
        if (options.ExitRadius <= options.EnterRadius)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}ExitRadius ({options.ExitRadius}) must be larger than {Prefix}EnterRadius ({options.EnterRadius})."));
        }

        OptionRange.Check(failures, Prefix + "EnterDwell", options.EnterDwell, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        OptionRange.Check(failures, Prefix + "ExitDelay", options.ExitDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        OptionRange.Check(failures, Prefix + "NotSeenTimeout", options.NotSeenTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        OptionRange.Check(failures, Prefix + "IdleEviction", options.IdleEviction, options.NotSeenTimeout, TimeSpan.FromHours(1));
        OptionRange.Check(failures, Prefix + "MaxTrackedDevices", options.MaxTrackedDevices, 16, 10_000_000);
        OptionRange.Check(failures, Prefix + "MinTravelTime", options.MinTravelTime, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionRange.Check(failures, Prefix + "MaxSightingAge", options.MaxSightingAge, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionRange.Check(failures, Prefix + "MaxClockSkew", options.MaxClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        OptionRange.Check(failures, Prefix + "NonceMemory", options.NonceMemory, 16, 1_000_000);
        OptionRange.Check(failures, Prefix + "NonceRetention", options.NonceRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        OptionRange.Check(failures, Prefix + "SharedStateTimeout", options.SharedStateTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        OptionRange.Check(failures, Prefix + "MaxReportBytes", options.MaxReportBytes, 1024, 1024L * 1024 * 1024);
        OptionRange.Check(failures, Prefix + "IdentityReloadInterval", options.IdentityReloadInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        OptionRange.Check(failures, Prefix + "HousekeepingInterval", options.HousekeepingInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        if (!Enum.IsDefined(options.RssiFilter))
        {
            failures.Add($"{Prefix}RssiFilter must be Ema or Kalman (was {options.RssiFilter}).");
        }

        foreach (var (gateway, gate) in options.Gateways)
        {
            if (string.IsNullOrWhiteSpace(gateway) || gateway.Length > 100)
            {
                failures.Add($"{Prefix}Gateways: a gateway id must be 1 to 100 characters.");
            }

            if (gate <= 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}Gateways:{gateway} must be a positive gate id (was {gate})."));
            }
        }

        if (options.StaticEddystoneNamespace is { } ns && !StaticBeaconMatcher.TryParseNamespace(ns, out _))
        {
            failures.Add($"{Prefix}StaticEddystoneNamespace must be 20 hex digits (10 bytes).");
        }

        foreach (var (badge, participant) in options.StaticBadges)
        {
            var setting = string.Create(CultureInfo.InvariantCulture, $"{Prefix}StaticBadges:{badge}");
            if (badge is 0 or > MaxBadgeNumber)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}: a badge number must be 1 to {MaxBadgeNumber} (2^48 − 1)."));
            }

            if (participant <= 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must map to a positive participant id (was {participant})."));
            }
            else if ((ulong)participant == badge)
            {
                failures.Add($"{setting} equals its participant id: badge numbers must be random, or anyone can broadcast a participant's badge.");
            }
        }

        if (options.EnableStaticBeacons && options.StaticIBeaconUuid is null && options.StaticEddystoneNamespace is null)
        {
            failures.Add($"{Prefix}EnableStaticBeacons needs {Prefix}StaticIBeaconUuid or {Prefix}StaticEddystoneNamespace.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
