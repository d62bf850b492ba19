using System.Globalization;

namespace EventKit.Internal;

/// <summary>Range checks for options validators, with messages that name the setting and the allowed range.</summary>
/// <remarks>Shared source (src/Shared, compiled into every package), so each package validates the same way without a public type.</remarks>
internal static class OptionRange
{
    /// <summary>Adds a failure to <paramref name="failures"/> when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Check(ICollection<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min:c} and {max:c} (was {value:c})."));
        }
    }

    /// <summary>Adds a failure to <paramref name="failures"/> when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Check(ICollection<string> failures, string setting, long value, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min} and {max} (was {value})."));
        }
    }

    /// <summary>Adds a failure to <paramref name="failures"/> when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Check(ICollection<string> failures, string setting, double value, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (double.IsNaN(value) || value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min} and {max} (was {value})."));
        }
    }
}
