using EventKit.Gates.Ble.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble;

/// <summary>
/// Replays a recorded btsnoop capture (<c>btmon -w</c>, Android's <c>btsnoop_hci.log</c>) through a gate's detection
/// rules, to tune a gate from a recording: the capture is shifted so that it ends now, EIDs are resolved at the time they
/// were recorded, and a presence engine of its own (the live one is not touched) reports enters and exits. Check-ins are
/// written only when asked.
/// </summary>
/// <remarks>
/// Create one with <see cref="Create"/> from a host's services (it needs <c>.AddBleGates()</c>'s options and, to resolve
/// rotating EIDs, an <see cref="IBleIdentityStore"/>). Thread-safe: each replay has its own state.
/// </remarks>
public sealed class BleCaptureReplayer
{
    private readonly BleGateOptions _options;
    private readonly IBleIdentityStore? _identities;
    private readonly IBleStaticBadgeDirectory _badges;
    private readonly ICheckInService? _checkIns;
    private readonly TimeProvider _time;
    private readonly long _eventId;

    private BleCaptureReplayer(BleGateOptions options, IBleIdentityStore? identities, IBleStaticBadgeDirectory badges, ICheckInService? checkIns, TimeProvider time, long eventId)
    {
        _options = options;
        _identities = identities;
        _badges = badges;
        _checkIns = checkIns;
        _time = time;
        _eventId = eventId;
    }

    /// <summary>A replayer over a host's services.</summary>
    /// <param name="services">Services with <c>.AddBleGates()</c>.</param>
    /// <returns>The replayer.</returns>
    public static BleCaptureReplayer Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new BleCaptureReplayer(
            services.GetRequiredService<IOptions<BleGateOptions>>().Value,
            services.GetService<IBleIdentityStore>(),
            services.GetRequiredService<IBleStaticBadgeDirectory>(),
            services.GetService<ICheckInService>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IOptions<EventKitOptions>>()?.Value.EventId ?? 1);
    }

    /// <summary>Replays <paramref name="capture"/> at <paramref name="gateId"/>.</summary>
    /// <param name="capture">The btsnoop file's bytes.</param>
    /// <param name="gateId">The gate whose rules apply (and whose check-ins are written with <paramref name="write"/>).</param>
    /// <param name="write">Whether each enter becomes a check-in (<see cref="CheckInMethod.Ble"/>, at its shifted time).</param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="BleReportFormatException">The capture is not a btsnoop file of a supported datalink.</exception>
    public async Task<BleReplayReport> ReplayAsync(ReadOnlyMemory<byte> capture, long gateId, bool write = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateId);
        using var batch = new BleSightingBatch();
        var read = BtsnoopReader.Read(capture.Span, "replay", batch);
        var sightings = batch.Sightings.ToArray();
        Array.Sort(sightings, static (a, b) => a.TimestampMs.CompareTo(b.TimestampMs));
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var shiftMs = sightings.Length == 0 ? 0 : now - sightings[^1].TimestampMs;

        // EIDs rotate: they are resolved on a clock that runs through the capture's own time.
        var clock = new ReplayClock(sightings.Length == 0 ? _time.GetUtcNow() : DateTimeOffset.FromUnixTimeMilliseconds(sightings[0].TimestampMs));
        using var eids = new EddystoneEidResolver(clock, _options.EidWindowsEitherSide);
        if (_identities is not null)
        {
            eids.Load(await _identities.GetActiveAsync(_eventId, cancellationToken).ConfigureAwait(false));
        }

        var credentials = new BleCredentialResolver(eids, new StaticBeaconMatcher(_options), _badges, _options);
        var engine = new PresenceEngine(_options);
        var entries = new List<BlePresenceEvent>();
        var exits = new List<BlePresenceEvent>();
        int resolved = 0, refused = batch.Rejected, ignored = 0, clones = 0;
        var sweepEvery = (long)_options.HousekeepingInterval.TotalMilliseconds;
        var lastSweep = sightings.Length == 0 ? 0 : sightings[0].TimestampMs + shiftMs;
        foreach (var sighting in sightings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = sighting.TimestampMs + shiftMs;

            // What the live housekeeping would have done while the capture was recorded.
            while (at - lastSweep >= sweepEvery)
            {
                lastSweep += sweepEvery;
                engine.Sweep(lastSweep, exits);
            }

            clock.Set(DateTimeOffset.FromUnixTimeMilliseconds(sighting.TimestampMs));
            switch (credentials.Resolve(sighting.Advert.Span, clock.GetUtcNow(), out var participantId, out var kind, out var power))
            {
                case CredentialOutcome.Malformed:
                    refused++;
                    continue;
                case CredentialOutcome.NotACredential:
                    ignored++;
                    continue;
            }

            resolved++;
            switch (engine.Observe(gateId, participantId, kind, sighting.Rssi, power, at, at, out _))
            {
                case PresenceOutcome.Entered:
                    entries.Add(new BlePresenceEvent(BlePresenceEventKind.Entered, gateId, participantId, kind, DateTimeOffset.FromUnixTimeMilliseconds(at)));
                    break;
                case PresenceOutcome.Exited:
                    exits.Add(new BlePresenceEvent(BlePresenceEventKind.Exited, gateId, participantId, kind, DateTimeOffset.FromUnixTimeMilliseconds(at)));
                    break;
                case PresenceOutcome.CloneSuspected:
                    clones++;
                    break;
            }
        }

        var admitted = 0;
        if (write)
        {
            var checkIns = _checkIns ?? throw new InvalidOperationException("Writing a replay needs an ICheckInService (AddEventKit() and a storage package).");
            foreach (var entry in entries)
            {
                var result = await checkIns.CheckInAsync(CheckInRequest.ForParticipant(gateId, entry.ParticipantId, CheckInMethod.Ble, entry.CredentialKind, entry.At), cancellationToken).ConfigureAwait(false);
                if (result.Status == CheckInStatus.Admitted)
                {
                    admitted++;
                }
            }
        }

        return new BleReplayReport(read.Records, batch.Count, resolved, refused, ignored, entries.Count, exits.Count, clones, admitted, TimeSpan.FromMilliseconds(shiftMs), read.Truncated);
    }

    /// <summary>A clock the replay moves through the capture's time.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public void Set(DateTimeOffset at) => Volatile.Write(ref _ticks, at.UtcTicks);

        public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _ticks), TimeSpan.Zero);
    }
}
