namespace EventKit.Internal;

/// <summary>
/// An <see cref="EventSettings"/> compiled for the check-in path: the time zone resolved once, the intervals per gate kind
/// in arrays. <see cref="IsOpen"/> allocates nothing and reads no clock but the one it is given.
/// </summary>
internal sealed class EventSchedule
{
    private static readonly int KindCount = Enum.GetValues<GateKind>().Length;

    private readonly TimeZoneInfo _zone;
    private readonly DateTimeOffset? _startsAt;
    private readonly DateTimeOffset? _endsAt;

    // Indexed by GateKind; null = no opening hours for the kind (open while the event runs).
    private readonly Interval[]?[] _byKind;

    private EventSchedule(EventSettings settings, TimeZoneInfo zone)
    {
        Settings = settings;
        _zone = zone;
        _startsAt = settings.StartsAt;
        _endsAt = settings.EndsAt;
        _byKind = new Interval[]?[KindCount];
        HasRules = _startsAt is not null || _endsAt is not null;
        if (settings.OpeningHours is { } hours)
        {
            foreach (var (kind, intervals) in hours)
            {
                var compiled = new Interval[intervals.Count];
                for (var i = 0; i < compiled.Length; i++)
                {
                    var days = 0;
                    if (intervals[i].Days is { } listed)
                    {
                        foreach (var day in listed)
                        {
                            days |= 1 << (int)day;
                        }
                    }
                    else
                    {
                        days = 0x7F;
                    }

                    compiled[i] = new Interval(intervals[i].Open, intervals[i].Close, days);
                }

                _byKind[(int)kind] = compiled;
                HasRules = true;
            }
        }
    }

    /// <summary>The settings this schedule was compiled from.</summary>
    public EventSettings Settings { get; }

    /// <summary>Whether anything can close the event (start, end or opening hours); without, <see cref="IsOpen"/> is always true.</summary>
    public bool HasRules { get; }

    /// <summary>Compiles <paramref name="settings"/>.</summary>
    /// <exception cref="InvalidOperationException">The settings are not valid.</exception>
    public static EventSchedule Create(EventSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
        {
            throw new InvalidOperationException($"The event settings are not valid: {problem.Message}");
        }

        TryFindTimeZone(settings.TimeZone, out var zone);
        return new EventSchedule(settings, zone!);
    }

    public static bool TryFindTimeZone(string? id, out TimeZoneInfo? zone)
    {
        zone = null;
        return !string.IsNullOrWhiteSpace(id) && id.Length <= 100 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }

    /// <summary>Whether check-ins at a gate of <paramref name="kind"/> are accepted at <paramref name="at"/>.</summary>
    public bool IsOpen(GateKind kind, DateTimeOffset at)
    {
        if (!HasRules)
        {
            return true;
        }

        if ((_startsAt is { } start && at < start) || (_endsAt is { } end && at >= end))
        {
            return false;
        }

        if ((uint)kind >= (uint)_byKind.Length || _byKind[(int)kind] is not { } intervals)
        {
            return true;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime);
        var yesterday = today.AddDays(-1);
        foreach (var interval in intervals)
        {
            // An interval opened today, or one opened yesterday that runs past midnight.
            if (interval.Contains(this, today, at) || (interval.Overnight && interval.Contains(this, yesterday, at)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The moment the wall-clock time <paramref name="time"/> on <paramref name="date"/> happens in the event's zone.</summary>
    private DateTimeOffset ToInstant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (_zone.IsInvalidTime(local))
        {
            // Skipped by a clock change: the offset from before the change moves it forward by the change's length.
            offset = _zone.GetUtcOffset(local.AddDays(-1));
        }
        else if (_zone.IsAmbiguousTime(local))
        {
            // Happens twice: the first occurrence, which has the larger offset.
            var offsets = _zone.GetAmbiguousTimeOffsets(local);
            offset = offsets[0] > offsets[^1] ? offsets[0] : offsets[^1];
        }
        else
        {
            offset = _zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
    }

    private readonly record struct Interval(TimeOnly Open, TimeOnly Close, int Days)
    {
        public bool Overnight => Close <= Open;

        public bool Contains(EventSchedule schedule, DateOnly openingDay, DateTimeOffset at)
        {
            if ((Days & (1 << (int)openingDay.DayOfWeek)) == 0)
            {
                return false;
            }

            var opens = schedule.ToInstant(openingDay, Open);
            var closes = schedule.ToInstant(Overnight ? openingDay.AddDays(1) : openingDay, Close);
            return at >= opens && at < closes;
        }
    }
}
