namespace EventKit;

/// <summary>What <see cref="ICheckInClaims.TryStartRequestAsync"/> found.</summary>
public enum RequestStartState
{
    /// <summary>The caller now handles the request.</summary>
    Started = 0,

    /// <summary>The request was answered before; <see cref="RequestStart.Answer"/> holds the answer.</summary>
    Answered = 1,

    /// <summary>Another caller is handling the request right now.</summary>
    InFlight = 2,
}
