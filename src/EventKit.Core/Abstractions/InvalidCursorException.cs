namespace EventKit;

/// <summary>
/// A page cursor that this query did not issue: malformed, from another listing, or from the same listing with other
/// filters. Nothing was read. Derives from <see cref="ArgumentException"/>; HTTP hosts map only this exception to
/// 400 <c>invalid_after</c> (the cursor parameter).
/// </summary>
public sealed class InvalidCursorException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidCursorException()
        : this("The cursor is not one this query issued.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidCursorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidCursorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the argument that held the cursor.</summary>
    public InvalidCursorException(string message, string paramName)
        : base(message, paramName)
    {
    }
}
