using System.Runtime.CompilerServices;

namespace EventKit;

/// <summary>Argument checks shared by the model's constructors, with messages that name the argument.</summary>
internal static class Guard
{
    public static void Positive(long value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive.");
        }
    }

    public static void Text(string? value, int maxLength, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"'{name}' must not be empty.", name);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"'{name}' must be at most {maxLength} characters (was {value.Length}).", name);
        }
    }

    public static void OptionalText(string? value, int maxLength, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new ArgumentException($"'{name}' must be at most {maxLength} characters (was {value.Length}).", name);
        }
    }

    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' is not a defined {typeof(TEnum).Name}.");
        }
    }
}
