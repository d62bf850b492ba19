using EventKit.Gates.Ble.Internal;
using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Gates.Ble.Tests.Presence;

public sealed class PresenceEngineTests
{
    // With P1m = −59 dBm and n = 2.5: 1.5 m ≈ −63.4 dBm, 3 m ≈ −70.9 dBm.
    private const int P1m = -59;
    private const long Start = 1_763_715_600_000;

    private sealed class Trace(PresenceEngine engine, long gate = 1, long participant = 7)
    {
        public long Now { get; private set; } = Start;

        public List<PresenceOutcome> Outcomes { get; } = [];

        public int Count(PresenceOutcome outcome) => Outcomes.Count(o => o == outcome);

        public void Feed(double seconds, Func<int, int> rssiAtStep, double stepSeconds = 0.2, long? gateId = null)
        {
            var steps = (int)Math.Round(seconds / stepSeconds);
            for (var i = 0; i < steps; i++)
            {
                var outcome = engine.Observe(gateId ?? gate, participant, CredentialKind.BleRotatingEid, rssiAtStep(i), P1m, Now, Now, out _);
                if (outcome != PresenceOutcome.None)
                {
                    Outcomes.Add(outcome);
                }

                Now += (long)(stepSeconds * 1000);
            }
        }

        public void Wait(double seconds) => Now += (long)(seconds * 1000);
    }

    private static PresenceEngine Engine(Action<BleGateOptions>? configure = null)
    {
        var options = new BleGateOptions();
        configure?.Invoke(options);
        return new PresenceEngine(options);
    }

    [Theory]
    [InlineData(BleRssiFilter.Ema)]
    [InlineData(BleRssiFilter.Kalman)]
    public void ApproachEntersOnceAfterTheDwell(BleRssiFilter filter)
    {
        var trace = new Trace(Engine(o => o.RssiFilter = filter));
        var noise = new Random(1);

        // Walk from ~10 m to ~0.5 m over 6 s, then stand at the gate for 5 s.
        trace.Feed(6, i => -84 + (i * 30 / 30) + noise.Next(-3, 4));
        trace.Feed(5, _ => -52 + noise.Next(-3, 4));

        Assert.Equal([PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void EnterNeedsTheDwell()
    {
        var trace = new Trace(Engine());

        trace.Feed(0.8, _ => -50);

        Assert.Empty(trace.Outcomes);

        trace.Feed(0.2, _ => -50);

        Assert.Equal([PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void LingeringAtTheEdgeDoesNotFlap()
    {
        var trace = new Trace(Engine());
        var noise = new Random(2);
        trace.Feed(2, _ => -52);

        // Between the radii (~2.2 m) with ±5 dB noise for two minutes.
        trace.Feed(120, _ => -67 + noise.Next(-5, 6));

        Assert.Equal([PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void HoveringAroundTheEnterRadiusEntersAtMostOnce()
    {
        var trace = new Trace(Engine());
        var noise = new Random(3);

        trace.Feed(120, _ => -64 + noise.Next(-6, 7));

        Assert.True(trace.Count(PresenceOutcome.Entered) <= 1);
        Assert.Equal(0, trace.Count(PresenceOutcome.Exited));
    }

    [Fact]
    public void WalkingPastDoesNotEnter()
    {
        var trace = new Trace(Engine());
        int[] pass = [-85, -80, -75, -70, -64, -60, -60, -64, -70, -75, -80, -85, -90];

        trace.Feed(pass.Length * 0.2, i => pass[i]);
        trace.Feed(10, _ => -90);

        Assert.Empty(trace.Outcomes);
    }

    [Fact]
    public void MovingAwayExitsAfterTheExitDelay()
    {
        var trace = new Trace(Engine());
        trace.Feed(2, _ => -52);

        trace.Feed(4.8, _ => -85);

        Assert.Equal([PresenceOutcome.Entered], trace.Outcomes);

        trace.Feed(2, _ => -85);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.Exited], trace.Outcomes);
    }

    [Fact]
    public void LeavingAndComingBackEntersAgain()
    {
        var trace = new Trace(Engine());
        trace.Feed(2, _ => -52);
        trace.Feed(8, _ => -85);
        trace.Wait(60);

        trace.Feed(2, _ => -52);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.Exited, PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void NotHeardForTheTimeoutExitsOnTheNextSightingOrSweep()
    {
        var engine = Engine();
        var trace = new Trace(engine);
        trace.Feed(2, _ => -52);
        var exits = new List<BlePresenceEvent>();

        engine.Sweep(trace.Now + 9_000, exits);
        Assert.Empty(exits);

        engine.Sweep(trace.Now + 10_500, exits);
        var exit = Assert.Single(exits);
        Assert.Equal(BlePresenceEventKind.Exited, exit.Kind);
        Assert.Equal(7, exit.ParticipantId);

        // Already exited by the sweep: the next sighting starts afresh and must dwell again.
        trace.Wait(11);
        trace.Feed(0.2, _ => -52);
        Assert.Single(trace.Outcomes);
    }

    [Fact]
    public void GapLongerThanTheTimeoutExitsOnTheNextSighting()
    {
        var trace = new Trace(Engine());
        trace.Feed(2, _ => -52);
        trace.Wait(11);

        trace.Feed(0.2, _ => -52);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.Exited], trace.Outcomes);
    }

    [Fact]
    public void EnteringAnotherGateFasterThanTheTravelTimeIsAClone()
    {
        var engine = Engine(o => o.MinTravelTime = TimeSpan.FromSeconds(20));
        var trace = new Trace(engine);
        trace.Feed(2, _ => -52, gateId: 1);

        trace.Feed(2, _ => -52, gateId: 2);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.CloneSuspected], trace.Outcomes);
        var outcome = engine.Observe(2, 7, CredentialKind.BleRotatingEid, -52, P1m, trace.Now, trace.Now, out _);
        Assert.Equal(PresenceOutcome.None, outcome);
    }

    [Fact]
    public void EnteringAnotherGateAfterTheTravelTimeIsFine()
    {
        var trace = new Trace(Engine(o => o.MinTravelTime = TimeSpan.FromSeconds(20)));
        trace.Feed(2, _ => -52, gateId: 1);
        trace.Wait(25);

        trace.Feed(2, _ => -52, gateId: 2);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void FloodOfDevicesStaysWithinTheBound()
    {
        var engine = Engine(o => o.MaxTrackedDevices = 100);

        for (var participant = 1; participant <= 10_000; participant++)
        {
            engine.Observe(1, participant, CredentialKind.BleRotatingEid, -80, P1m, Start + participant, Start + participant, out _);
        }

        Assert.Equal(100, engine.TrackedDevices);
        Assert.Equal(9_900, engine.Evictions);

        // The most recent devices are the ones kept: the last one still dwells and enters.
        var last = 10_000L;
        var outcome = PresenceOutcome.None;
        for (var t = 0; t <= 1000; t += 200)
        {
            outcome = engine.Observe(1, last, CredentialKind.BleRotatingEid, -40, P1m, Start + 20_000 + t, Start + 20_000 + t, out _);
        }

        Assert.Equal(PresenceOutcome.Entered, outcome);
    }

    [Fact]
    public void IdleDevicesAreEvicted()
    {
        var engine = Engine();
        for (var participant = 1; participant <= 50; participant++)
        {
            engine.Observe(1, participant, CredentialKind.BleRotatingEid, -80, P1m, Start, Start, out _);
        }

        engine.Observe(1, 99, CredentialKind.BleRotatingEid, -80, P1m, Start + 59_000, Start + 59_000, out _);
        engine.Sweep(Start + 61_000, []);

        Assert.Equal(1, engine.TrackedDevices);
    }

    [Fact]
    public void ForgottenEntryEntersAgainOnTheNextSightings()
    {
        var engine = Engine();
        var trace = new Trace(engine);
        trace.Feed(2, _ => -52);

        engine.ForgetEntry(1, 7);
        trace.Feed(1, _ => -52);

        Assert.Equal([PresenceOutcome.Entered, PresenceOutcome.Entered], trace.Outcomes);
    }

    [Fact]
    public void EntersAndExitsAlwaysAlternatePerGateAndDevice()
    {
        // Random walks: RSSI readings with random gaps, across two gates and three participants.
        var step = from gate in Gen.Choose(1, 2)
                   from participant in Gen.Choose(1, 3)
                   from rssi in Gen.Choose(-100, -30)
                   from gapMs in Gen.Frequency((8, Gen.Choose(50, 500)), (1, Gen.Choose(500, 15_000)))
                   select (gate, participant, rssi, gapMs);

        Prop.ForAll(Gen.ListOf(step).ToArbitrary(), steps =>
        {
            var engine = Engine(o =>
            {
                o.MinTravelTime = TimeSpan.Zero;
                o.MaxTrackedDevices = 16;
            });
            var inside = new Dictionary<(int, int), bool>();
            var now = Start;
            foreach (var (gate, participant, rssi, gapMs) in steps)
            {
                now += gapMs;
                var outcome = engine.Observe(gate, participant, CredentialKind.BleRotatingEid, rssi, P1m, now, now, out _);
                var wasInside = inside.GetValueOrDefault((gate, participant));
                if ((outcome == PresenceOutcome.Entered && wasInside) || (outcome == PresenceOutcome.Exited && !wasInside))
                {
                    return false;
                }

                if (outcome is PresenceOutcome.Entered or PresenceOutcome.Exited)
                {
                    inside[(gate, participant)] = outcome == PresenceOutcome.Entered;
                }
            }

            return engine.TrackedDevices <= 16;
        }).QuickCheckThrowOnFailure();
    }
}
