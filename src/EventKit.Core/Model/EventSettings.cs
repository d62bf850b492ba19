using EventKit.Internal;

namespace EventKit;

/// <summary>
/// An event's configuration, as <c>GET/PUT /api/v1/event</c> shows it: name, time zone, start and end, the default re-entry
/// window and opening hours per kind of gate. Check-ins outside it are refused as <see cref="CheckInStatus.EventClosed"/>.
/// </summary>
public sealed record EventSettings
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The most opening intervals per kind of gate.</summary>
    public const int MaxIntervalsPerKind = 50;

    /// <summary>The event's id.</summary>
    public required long Id { get; init; }

    /// <summary>The display name; 1 to <see cref="MaxNameLength"/> characters.</summary>
    public required string Name { get; init; }

    /// <summary>The IANA time zone (<c>Europe/Berlin</c>) that <see cref="OpeningHours"/> are given in. Default <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Check-ins before this moment are refused, or <see langword="null"/> for no start.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>Check-ins at or after this moment are refused, or <see langword="null"/> for no end.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>
    /// The event's re-entry window, or <see langword="null"/> for the node's <see cref="EventKitOptions.ReEntryWindow"/>.
    /// A node applies at most its own <see cref="EventKitOptions.ReEntryWindow"/> (which also bounds how long its claims
    /// stay unverified after an outage), so the event can shorten the window but not lengthen it.
    /// </summary>
    public TimeSpan? ReEntryWindow { get; init; }

    /// <summary>
    /// Opening hours per kind of gate. A kind that is not listed is open whenever the event runs (between
    /// <see cref="StartsAt"/> and <see cref="EndsAt"/>); a kind listed with no intervals is closed. <see langword="null"/>:
    /// no opening hours.
    /// </summary>
    public IReadOnlyDictionary<GateKind, IReadOnlyList<OpeningHours>>? OpeningHours { get; init; }

    /// <summary>When the configuration was last saved, or <see langword="null"/> for one never saved.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The configuration of an event nobody configured yet: always open, the node's re-entry window.</summary>
    /// <param name="eventId">The event's id.</param>
    public static EventSettings Default(long eventId) => new() { Id = eventId, Name = $"Event {eventId}" };

    /// <summary>What is wrong with this configuration, or <see langword="null"/> when it is valid.</summary>
    /// <returns>The field at fault (camelCase, as in the HTTP API) and a message, or <see langword="null"/>.</returns>
    public (string Field, string Message)? Validate()
    {
        if (Id <= 0)
        {
            return ("id", "The event id must be positive.");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength)
        {
            return ("name", $"name must be 1 to {MaxNameLength} characters.");
        }

        if (!EventSchedule.TryFindTimeZone(TimeZone, out _))
        {
            return ("timeZone", "timeZone must be an IANA time zone id this host knows (for example Europe/Berlin or UTC).");
        }

        if (StartsAt is { } start && EndsAt is { } end && end <= start)
        {
            return ("endsAt", "endsAt must be after startsAt.");
        }

        if (ReEntryWindow is { } window && (window < TimeSpan.Zero || window > TimeSpan.FromHours(24)))
        {
            return ("reEntryWindow", "reEntryWindow must be between 00:00:00 and 1.00:00:00.");
        }

        if (OpeningHours is not null)
        {
            foreach (var (kind, intervals) in OpeningHours)
            {
                if (!Enum.IsDefined(kind) || intervals is null || intervals.Count > MaxIntervalsPerKind)
                {
                    return ("openingHours", $"openingHours has an unknown gate kind or more than {MaxIntervalsPerKind} intervals for one kind.");
                }

                foreach (var interval in intervals)
                {
                    if (interval is null || interval.Days is { Count: 0 } || interval.Days?.Any(d => !Enum.IsDefined(d)) == true)
                    {
                        return ("openingHours", "Every opening interval needs open and close times, and days (if given) must name at least one day.");
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Whether check-ins at a gate of <paramref name="kind"/> are accepted at <paramref name="at"/>.</summary>
    /// <param name="kind">The kind of gate.</param>
    /// <param name="at">The moment of the check-in.</param>
    /// <exception cref="InvalidOperationException">The configuration is not valid (see <see cref="Validate"/>).</exception>
    public bool IsOpenAt(GateKind kind, DateTimeOffset at) => EventSchedule.Create(this).IsOpen(kind, at);
}
