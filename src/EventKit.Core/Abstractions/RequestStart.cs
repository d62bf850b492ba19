namespace EventKit;

/// <summary>The outcome of <see cref="ICheckInClaims.TryStartRequestAsync"/>.</summary>
/// <param name="State">What was found.</param>
/// <param name="Answer">The earlier answer, when <paramref name="State"/> is <see cref="RequestStartState.Answered"/>.</param>
/// <param name="OutcomeUnknown">With <see cref="RequestStartState.Started"/>: an earlier attempt may have committed a record.</param>
/// <param name="Unverified">
/// With <see cref="RequestStartState.Started"/>: the store cannot vouch that no other node answered this request id
/// (its shared state is unreachable, was just restored or was found empty); the pipeline asks PostgreSQL.
/// </param>
public readonly record struct RequestStart(RequestStartState State, CheckInResult? Answer = null, bool OutcomeUnknown = false, bool Unverified = false)
{
    /// <summary>The caller now handles the request.</summary>
    public static RequestStart Started { get; } = new(RequestStartState.Started);

    /// <summary>Another caller is handling the request.</summary>
    public static RequestStart InFlight { get; } = new(RequestStartState.InFlight);
}
