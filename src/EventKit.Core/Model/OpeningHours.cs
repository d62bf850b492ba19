namespace EventKit;

/// <summary>
/// One opening interval of an event for a kind of gate, in the event's local (wall-clock) time: from <see cref="Open"/> to
/// <see cref="Close"/> on the listed <see cref="Days"/> (every day when <see langword="null"/>).
/// </summary>
/// <remarks>
/// A <see cref="Close"/> at or before <see cref="Open"/> runs past midnight into the next day (equal: 24 hours); the day is
/// the day the interval opens. Across daylight-saving changes the wall clock rules: a time the clock skips is moved forward by the
/// length of the change (02:30 on a spring-forward night at 02:00 is 03:30), a time that happens twice means its first occurrence.
/// </remarks>
/// <param name="Open">Local time the gates of the kind open.</param>
/// <param name="Close">Local time they close.</param>
/// <param name="Days">The days the interval opens on, or <see langword="null"/> for every day.</param>
public sealed record OpeningHours(TimeOnly Open, TimeOnly Close, IReadOnlyList<DayOfWeek>? Days = null);
