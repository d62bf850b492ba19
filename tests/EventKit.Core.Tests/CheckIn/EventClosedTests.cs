using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Core.Tests.CheckIn;

/// <summary>The check-in pipeline and the event's configuration: event_closed before any claim, the event's re-entry window,
/// refreshes without I/O per check-in.</summary>
public sealed class EventClosedTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Noon);
    private readonly CheckInServiceTests.Directory _directory = new();
    private readonly CheckInServiceTests.RecordingWriter _writer = new();
    private readonly Events _events = new();

    public EventClosedTests()
    {
        _directory.Gates[1] = new Gate(1, 1, "Entrance");
        _directory.Gates[2] = new Gate(2, 1, "Session", GateKind.Session);
        _directory.Add(new Participant(10, 1, "Kim"), "token-kim");
    }

    private static EventSettings MorningsOnly => new()
    {
        Id = 1,
        Name = "Mornings",
        OpeningHours = new Dictionary<GateKind, IReadOnlyList<OpeningHours>> { [GateKind.Entrance] = [new OpeningHours(new(8, 0), new(11, 0))] },
    };

    private ServiceProvider Build(bool withDirectory = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IGateDirectory>(_directory);
        services.AddSingleton<IParticipantDirectory>(_directory);
        services.AddSingleton<IAttendanceWriter>(_writer);
        services.AddSingleton<IAttendanceReader>(_writer);
        if (withDirectory)
        {
            services.AddSingleton<IEventDirectory>(_events);
        }

        services.AddLogging();
        services.AddEventKit();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Outside_opening_hours_a_check_in_is_event_closed_and_nothing_is_claimed_or_written()
    {
        _events.Settings = MorningsOnly;
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();

        var closed = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));
        Assert.Equal(CheckInStatus.EventClosed, closed.Status);
        Assert.Equal(CheckInErrorCodes.EventClosed, closed.ErrorCode);
        Assert.Empty(_writer.Records);

        // Nothing was claimed: the same participant is admitted at once elsewhere, and, scanned at 09:00 (an offline
        // scanner's upload), at the entrance too.
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(2, "token-kim"))).Status);
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", occurredAt: Noon.AddHours(-3)))).Status);
        Assert.Equal(1, _events.Reads);
    }

    [Fact]
    public async Task The_configuration_is_read_once_and_refreshed_in_the_background_after_the_interval()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);

        _events.Settings = MorningsOnly;
        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10; i++)
        {
            Assert.NotEqual(CheckInStatus.EventClosed, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
        }

        Assert.Equal(1, _events.Reads);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status == CheckInStatus.EventClosed, "the refreshed configuration closes the entrance");
        Assert.Equal(2, _events.Reads);
    }

    [Fact]
    public async Task A_published_configuration_applies_at_once()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);

        provider.GetRequiredService<IEventSettingsProvider>().Publish(MorningsOnly);

        Assert.Equal(CheckInStatus.EventClosed, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
        Assert.Equal("Mornings", (await provider.GetRequiredService<IEventSettingsProvider>().GetAsync()).Name);
    }

    [Fact]
    public async Task The_event_can_shorten_the_re_entry_window_but_not_lengthen_it()
    {
        _events.Settings = EventSettings.Default(1) with { ReEntryWindow = TimeSpan.Zero };
        using (var provider = Build())
        {
            var service = provider.GetRequiredService<ICheckInService>();
            Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
            Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
        }

        _events.Settings = EventSettings.Default(1) with { ReEntryWindow = TimeSpan.FromHours(2) };
        using (var provider = Build())
        {
            var service = provider.GetRequiredService<ICheckInService>();
            _time.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(2, "token-kim"))).Status);
            _time.Advance(TimeSpan.FromSeconds(61));

            // The node's 60 s window still applies: a new admission, not a duplicate of the first.
            Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(2, "token-kim"))).Status);
        }
    }

    [Fact]
    public async Task Without_an_event_directory_check_ins_behave_as_before()
    {
        using var provider = Build(withDirectory: false);
        Assert.Equal(CheckInStatus.Admitted, (await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
    }

    [Fact]
    public void Event_closed_is_a_storable_answer()
    {
        var result = CheckInResult.Rehydrate(CheckInStatus.EventClosed, 4, null, null, null);
        Assert.Equal(CheckInStatus.EventClosed, result.Status);
        Assert.Equal("event_closed", result.ErrorCode);
        Assert.False(result.IsSuccess);
    }

    private sealed class Events : IEventDirectory
    {
        private int _reads;

        public EventSettings Settings { get; set; } = EventSettings.Default(1);

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask<EventSettings> GetAsync(long eventId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return ValueTask.FromResult(Settings);
        }
    }
}
