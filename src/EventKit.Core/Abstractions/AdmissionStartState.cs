namespace EventKit;

/// <summary>What <see cref="ICheckInClaims.TryStartAdmissionAsync"/> found.</summary>
public enum AdmissionStartState
{
    /// <summary>The caller now handles the request (and holds the passage when <see cref="AdmissionStart.PassageClaimed"/>).</summary>
    Started = 0,

    /// <summary>Another record holds the passage; the duplicate answer is already stored for the request id.</summary>
    Held = 1,

    /// <summary>The request was answered before; <see cref="AdmissionStart.Answer"/> holds the answer.</summary>
    Answered = 2,

    /// <summary>Another caller is handling the request right now.</summary>
    InFlight = 3,
}
