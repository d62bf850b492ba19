using System.Text.RegularExpressions;

namespace EventKit.Storage.Internal;

/// <summary>Quotes identifiers EventKit generates itself (partition and index names); never used for input.</summary>
internal static partial class SqlIdentifier
{
    /// <summary>Quotes <paramref name="identifier"/> after checking it is a plain lower-case identifier.</summary>
    /// <exception cref="ArgumentException">It is not <c>[a-z_][a-z0-9_]{0,62}</c>.</exception>
    public static string Quote(string identifier)
    {
        if (!Plain().IsMatch(identifier))
        {
            throw new ArgumentException("Not a plain SQL identifier.", nameof(identifier));
        }

        return "\"" + identifier + "\"";
    }

    // \z, not $: $ also matches before a final "\n".
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\z")]
    private static partial Regex Plain();
}
