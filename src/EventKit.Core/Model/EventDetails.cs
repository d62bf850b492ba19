namespace EventKit;

/// <summary>An event (a conference, a festival, a trade show) whose attendees check in at gates.</summary>
public sealed record EventDetails
{
    /// <summary>Creates an event.</summary>
    /// <param name="id">The event's id; positive.</param>
    /// <param name="name">The display name; 1 to 200 characters.</param>
    /// <param name="startsAt">When the doors open.</param>
    /// <param name="endsAt">When the event ends; not before <paramref name="startsAt"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public EventDetails(long id, string name, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        Guard.Positive(id);
        Guard.Text(name, 200);
        if (endsAt < startsAt)
        {
            throw new ArgumentException($"The event must not end ({endsAt:O}) before it starts ({startsAt:O}).", nameof(endsAt));
        }

        Id = id;
        Name = name;
        StartsAt = startsAt.ToUniversalTime();
        EndsAt = endsAt.ToUniversalTime();
    }

    /// <summary>The event's id.</summary>
    public long Id { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>When the doors open, in UTC.</summary>
    public DateTimeOffset StartsAt { get; }

    /// <summary>When the event ends, in UTC.</summary>
    public DateTimeOffset EndsAt { get; }
}
