namespace EventKit.AspNetCore.Internal;

/// <summary>
/// The rule for every free-text field EventKit stores (names, e-mail, external references, search text): no control
/// characters (C0, DEL, C1; NUL would reach PostgreSQL as SQLSTATE 22021) and no unpaired surrogates (not encodable as UTF-8).
/// </summary>
internal static class TextRules
{
    /// <summary>Whether <paramref name="text"/> holds only printable characters and well-formed surrogate pairs.</summary>
    public static bool IsPrintable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="value"/> breaks the rule, or <see langword="null"/> (also for a null value).</summary>
    public static string? Problem(string field, string? value)
        => value is null || IsPrintable(value) ? null : $"{field} must not contain control characters or unpaired surrogates.";
}
