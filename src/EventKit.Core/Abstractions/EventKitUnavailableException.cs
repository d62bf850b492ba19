namespace EventKit;

/// <summary>A backing service (PostgreSQL) stayed unreachable through EventKit's retries. Nothing of the failed call was acknowledged.</summary>
/// <remarks>HTTP hosts map it to 503 with <c>Retry-After</c> = <see cref="RetryAfter"/>.</remarks>
public sealed class EventKitUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventKitUnavailableException()
        : this("A backing service is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public EventKitUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EventKitUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long callers should wait before retrying. Default 1 s.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
