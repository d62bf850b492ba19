using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace EventKit.Caching.Internal;

/// <summary>
/// Finds types whose data System.Text.Json would drop with default options: types with public fields and no public
/// properties (value tuples), also when nested in a property or a collection. Microsoft's HybridCache serializes
/// those with <see cref="System.Text.Json.JsonSerializerOptions.IncludeFields"/>, so EventKit does too.
/// </summary>
internal static class FieldOnlyTypes
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    public static bool IsFieldOnly(Type type) => Known.GetOrAdd(type, static t => Check(t, []));

    private static bool Check(Type type, HashSet<Type> visiting)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || !visiting.Add(type))
        {
            return false;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            foreach (var candidate in type.GetInterfaces().Append(type))
            {
                if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>) && Check(candidate.GetGenericArguments()[0], visiting))
                {
                    return true;
                }
            }

            return false;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        if (properties.Length == 0)
        {
            return type.GetFields(BindingFlags.Public | BindingFlags.Instance).Length != 0;
        }

        foreach (var property in properties)
        {
            if (Check(property.PropertyType, visiting))
            {
                return true;
            }
        }

        return false;
    }
}
