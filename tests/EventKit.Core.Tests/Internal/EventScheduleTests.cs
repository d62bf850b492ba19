using EventKit.Internal;

namespace EventKit.Core.Tests.Internal;

/// <summary>Opening hours in the event's wall-clock time, across midnight and daylight-saving changes.</summary>
public sealed class EventScheduleTests
{
    private static EventSettings Berlin(params (GateKind Kind, OpeningHours[] Hours)[] hours) => new()
    {
        Id = 1,
        Name = "Conf",
        TimeZone = "Europe/Berlin",
        OpeningHours = hours.ToDictionary(h => h.Kind, h => (IReadOnlyList<OpeningHours>)h.Hours),
    };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Without_hours_start_or_end_the_event_is_always_open()
    {
        var schedule = EventSchedule.Create(EventSettings.Default(1));
        Assert.False(schedule.HasRules);
        Assert.True(schedule.IsOpen(GateKind.Entrance, DateTimeOffset.MinValue));
    }

    [Fact]
    public void Daily_hours_follow_the_local_clock_in_winter_and_summer()
    {
        var schedule = EventSchedule.Create(Berlin((GateKind.Entrance, [new OpeningHours(new(9, 0), new(18, 0))])));

        // Winter, UTC+1.
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(1, 15, 7, 59)));
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(1, 15, 8, 0)));
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(1, 15, 16, 59)));
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(1, 15, 17, 0)));

        // Summer, UTC+2: the same wall-clock hours are an hour earlier in UTC.
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(7, 15, 7, 0)));
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(7, 15, 16, 0)));

        // Kinds without hours stay open.
        Assert.True(schedule.IsOpen(GateKind.Exit, Utc(1, 15, 3, 0)));
    }

    [Fact]
    public void An_interval_past_midnight_belongs_to_the_day_it_opens()
    {
        // Fridays 22:00 to 02:00 (Saturday). 2026-01-16 is a Friday; Berlin is UTC+1.
        var schedule = EventSchedule.Create(Berlin((GateKind.Entrance, [new OpeningHours(new(22, 0), new(2, 0), [DayOfWeek.Friday])])));

        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(1, 16, 22, 0)));   // Friday 23:00 local
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(1, 17, 0, 30)));   // Saturday 01:30 local
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(1, 17, 1, 0)));   // Saturday 02:00 local
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(1, 17, 22, 0)));  // Saturday 23:00 local
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(1, 16, 0, 30)));  // Friday 01:30 local (Thursday opened nothing)
    }

    [Fact]
    public void A_time_the_clock_skips_moves_forward_by_the_change()
    {
        // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST. 02:30 does not happen: it opens at 03:30 CEST (01:30Z).
        var schedule = EventSchedule.Create(Berlin((GateKind.Entrance, [new OpeningHours(new(2, 30), new(5, 0))])));

        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(3, 29, 1, 15)));  // 03:15 CEST
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(3, 29, 1, 30)));   // 03:30 CEST
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(3, 29, 2, 59)));   // 04:59 CEST
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(3, 29, 3, 0)));   // 05:00 CEST
    }

    [Fact]
    public void A_time_that_happens_twice_means_its_first_occurrence()
    {
        // 2026-10-25: Berlin goes from 03:00 CEST back to 02:00 CET, so 02:00 to 03:00 happens twice.
        var schedule = EventSchedule.Create(Berlin((GateKind.Entrance, [new OpeningHours(new(0, 0), new(2, 30))])));

        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(10, 25, 0, 15)));  // 02:15 CEST, first time round
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(10, 25, 0, 30))); // 02:30 CEST: closed
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(10, 25, 1, 15))); // 02:15 CET, second time round: still closed
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(10, 25, 23, 30))); // 00:30 CET the next day
    }

    [Fact]
    public void Start_end_and_a_kind_listed_without_intervals_close_the_event()
    {
        var settings = Berlin((GateKind.Exit, [])) with { StartsAt = Utc(5, 1, 8), EndsAt = Utc(5, 3, 20) };
        var schedule = EventSchedule.Create(settings);

        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(5, 1, 7, 59)));
        Assert.True(schedule.IsOpen(GateKind.Entrance, Utc(5, 1, 8)));
        Assert.False(schedule.IsOpen(GateKind.Entrance, Utc(5, 3, 20)));
        Assert.False(schedule.IsOpen(GateKind.Exit, Utc(5, 2, 12)));
        Assert.True(settings.IsOpenAt(GateKind.Session, Utc(5, 2, 12)));
    }

    [Fact]
    public void Invalid_settings_name_their_field()
    {
        Assert.Equal("timeZone", (EventSettings.Default(1) with { TimeZone = "Mars/Olympus" }).Validate()!.Value.Field);
        Assert.Equal("endsAt", (EventSettings.Default(1) with { StartsAt = Utc(5, 2, 0), EndsAt = Utc(5, 1, 0) }).Validate()!.Value.Field);
        Assert.Equal("name", (EventSettings.Default(1) with { Name = "" }).Validate()!.Value.Field);
        Assert.Equal("reEntryWindow", (EventSettings.Default(1) with { ReEntryWindow = TimeSpan.FromDays(2) }).Validate()!.Value.Field);
        Assert.Equal("openingHours", (EventSettings.Default(1) with { OpeningHours = new Dictionary<GateKind, IReadOnlyList<OpeningHours>> { [GateKind.Entrance] = [new(new(9, 0), new(10, 0), [])] } }).Validate()!.Value.Field);
        Assert.Null(Berlin((GateKind.Entrance, [new OpeningHours(new(9, 0), new(10, 0))])).Validate());
        Assert.Throws<InvalidOperationException>(() => EventSchedule.Create(EventSettings.Default(1) with { TimeZone = "Nowhere" }));
    }
}
