namespace EventKit;

/// <summary>A person registered for an event.</summary>
/// <remarks>
/// The participant's credential is deliberately not part of this type: EventKit keeps only the
/// (peppered) hash of a token (<see cref="CredentialHash"/>), and nothing that is logged or cached
/// carries the token itself.
/// </remarks>
public sealed record Participant
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest e-mail address accepted (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The longest external reference accepted.</summary>
    public const int MaxExternalRefLength = 100;

    /// <summary>Creates a participant.</summary>
    /// <param name="id">The participant's id; positive.</param>
    /// <param name="eventId">The event the participant is registered for; positive.</param>
    /// <param name="name">Display name; 1 to <see cref="MaxNameLength"/> characters.</param>
    /// <param name="email">E-mail address or <see langword="null"/>; at most <see cref="MaxEmailLength"/> characters.</param>
    /// <param name="status">Lifecycle status.</param>
    /// <param name="externalRef">The integrator's own id for this person (ticket number, CRM id) or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public Participant(long id, long eventId, string name, string? email = null, ParticipantStatus status = ParticipantStatus.Active, string? externalRef = null)
    {
        Guard.Positive(id);
        Guard.Positive(eventId);
        Guard.Text(name, MaxNameLength);
        Guard.OptionalText(email, MaxEmailLength);
        Guard.OptionalText(externalRef, MaxExternalRefLength);
        Guard.Defined(status);

        Id = id;
        EventId = eventId;
        Name = name;
        Email = email;
        Status = status;
        ExternalRef = externalRef;
    }

    /// <summary>The participant's id.</summary>
    public long Id { get; }

    /// <summary>The event the participant is registered for.</summary>
    public long EventId { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>E-mail address, if known. Personal data: never logged by EventKit.</summary>
    public string? Email { get; }

    /// <summary>Lifecycle status.</summary>
    public ParticipantStatus Status { get; init; }

    /// <summary>The integrator's own id for this person, if any.</summary>
    public string? ExternalRef { get; }

    /// <summary>Whether the participant may be admitted.</summary>
    public bool IsActive => Status == ParticipantStatus.Active;
}
