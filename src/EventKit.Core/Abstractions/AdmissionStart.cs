namespace EventKit;

/// <summary>The outcome of <see cref="ICheckInClaims.TryStartAdmissionAsync"/>.</summary>
/// <param name="State">What was found.</param>
/// <param name="PassageClaimed">With <see cref="AdmissionStartState.Started"/>: whether the caller now holds the passage.
/// It does not when <paramref name="OutcomeUnknown"/> is set: the caller looks for the earlier record first.</param>
/// <param name="OutcomeUnknown">With <see cref="AdmissionStartState.Started"/>: an earlier attempt may have committed a record.</param>
/// <param name="Holder">With <see cref="AdmissionStartState.Held"/>: the claim that holds the passage.</param>
/// <param name="Answer">With <see cref="AdmissionStartState.Answered"/>: the earlier answer.</param>
/// <param name="Unverified">
/// With <see cref="AdmissionStartState.Started"/>: the store cannot vouch for what other nodes did (see
/// <see cref="RequestStart.Unverified"/>); the pipeline lets PostgreSQL decide the admission.
/// </param>
public readonly record struct AdmissionStart(AdmissionStartState State, bool PassageClaimed = false, bool OutcomeUnknown = false, PassageClaim? Holder = null, CheckInResult? Answer = null, bool Unverified = false);
