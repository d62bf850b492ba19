namespace EventKit;

/// <summary>A place where attendees are admitted: a door, a turnstile, a session room.</summary>
public sealed record Gate
{
    /// <summary>The longest gate name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Creates a gate.</summary>
    /// <param name="id">The gate's id; positive.</param>
    /// <param name="eventId">The event the gate belongs to; positive.</param>
    /// <param name="name">Display name; 1 to <see cref="MaxNameLength"/> characters.</param>
    /// <param name="kind">What the gate is for.</param>
    /// <param name="isOpen">Whether the gate admits anyone right now.</param>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public Gate(long id, long eventId, string name, GateKind kind = GateKind.Entrance, bool isOpen = true)
    {
        Guard.Positive(id);
        Guard.Positive(eventId);
        Guard.Text(name, MaxNameLength);
        Guard.Defined(kind);

        Id = id;
        EventId = eventId;
        Name = name;
        Kind = kind;
        IsOpen = isOpen;
    }

    /// <summary>The gate's id.</summary>
    public long Id { get; }

    /// <summary>The event the gate belongs to.</summary>
    public long EventId { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>What the gate is for.</summary>
    public GateKind Kind { get; }

    /// <summary>Whether the gate admits anyone right now.</summary>
    public bool IsOpen { get; init; }

    /// <summary>The direction an admission at this gate records: exits record <see cref="AttendanceDirection.Out"/>.</summary>
    public AttendanceDirection Direction => Kind == GateKind.Exit ? AttendanceDirection.Out : AttendanceDirection.In;
}
