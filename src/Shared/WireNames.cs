using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;

namespace EventKit.Internal;

/// <summary>
/// The wire names of EventKit's enums, read once from their <see cref="JsonStringEnumMemberNameAttribute"/>s: the one map
/// that JSON serialisation, the HTTP API's texts and metric tags share (shared source, compiled into each package).
/// </summary>
/// <typeparam name="T">An enum whose members carry <see cref="JsonStringEnumMemberNameAttribute"/>.</typeparam>
internal static class WireNames<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>
    where T : struct, Enum
{
    private static readonly (T Value, string Name)[] Map = Build();

    /// <summary>The wire name of <paramref name="value"/> (the member name, lower-cased, for a value without an attribute).</summary>
    public static string Of(T value)
    {
        foreach (var (candidate, name) in Map)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        return value.ToString().ToLowerInvariant();
    }

    /// <summary>The member whose wire name is exactly <paramref name="text"/> (case-sensitive, as on the wire).</summary>
    public static bool TryParse(string? text, out T value)
    {
        foreach (var (candidate, name) in Map)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every wire name, in declaration order, joined for messages (<c>qr, nfc, ble, manual</c>).</summary>
    public static string List() => string.Join(", ", Array.ConvertAll(Map, static entry => entry.Name));

    private static (T, string)[] Build()
    {
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var map = new (T, string)[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? fields[i].Name.ToLowerInvariant();
            map[i] = ((T)fields[i].GetValue(null)!, name);
        }

        return map;
    }
}
