namespace EventKit;

/// <summary>
/// A gate named by a registration (a gateway's gate, a scanner key's gates) does not exist in the event. Nothing was
/// created. Derives from <see cref="ArgumentException"/>, so callers that catch bad arguments keep working; HTTP hosts
/// map only this exception to 404 <c>unknown_gate</c>.
/// </summary>
public sealed class UnknownGateException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnknownGateException()
        : this("A gate does not exist in this event.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnknownGateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnknownGateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the gates that were asked for.</summary>
    /// <param name="message">What was missing.</param>
    /// <param name="paramName">The argument that named the gates.</param>
    /// <param name="gateIds">The gate ids that were asked for (at least one of them does not exist in the event).</param>
    public UnknownGateException(string message, string paramName, IReadOnlyList<long> gateIds)
        : base(message, paramName)
    {
        GateIds = gateIds;
    }

    /// <summary>The gate ids that were asked for (at least one of them does not exist in the event).</summary>
    public IReadOnlyList<long> GateIds { get; } = [];
}
