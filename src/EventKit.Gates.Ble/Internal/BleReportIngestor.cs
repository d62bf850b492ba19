using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Reports → sightings → credentials → presence → check-ins.</summary>
/// <remarks>
/// The synchronous part (resolution and presence) runs for a whole batch under the engine's lock, with no allocation per
/// sighting; check-ins, which await storage, run after the lock is released. An entry whose check-in could not be stored
/// (storage unavailable) is forgotten so the participant's next sightings try again.
/// </remarks>
internal sealed class BleReportIngestor : IBleReportIngestor
{
    private const int StreamChunk = 64 * 1024;
    private const int SightingsPerBatch = 4096;

    /// <summary>The longest NDJSON line kept while streaming; a longer one is rejected and skipped up to its newline.</summary>
    internal const int MaxNdjsonLineBytes = 64 * 1024;
    private readonly BleGateOptions _options;
    private readonly BleCredentialResolver _credentials;
    private readonly PresenceEngine _engine;
    private readonly EddystoneEidResolver _eids;
    private readonly IBleGatewayDirectory _gateways;
    private readonly ICheckInService _checkIns;
    private readonly IBleGateObserver[] _observers;
    private readonly BleSharedState _shared;
    private readonly Dictionary<string, int> _calibrations;
    private readonly TimeProvider _time;
    private readonly BleMetrics _metrics;
    private readonly ILogger _logger;

    public BleReportIngestor(
        IOptions<BleGateOptions> options,
        EddystoneEidResolver eids,
        IBleGatewayDirectory gateways,
        IBleStaticBadgeDirectory badges,
        ICheckInService checkIns,
        IEnumerable<IBleGateObserver> observers,
        BleSharedState shared,
        TimeProvider time,
        BleMetrics metrics,
        ILogger<BleReportIngestor> logger)
    {
        _options = options.Value;
        _eids = eids;
        _credentials = new BleCredentialResolver(eids, new StaticBeaconMatcher(_options), badges, _options);
        _calibrations = new Dictionary<string, int>(_options.GatewayCalibrations, StringComparer.Ordinal);
        _engine = new PresenceEngine(_options);
        _gateways = gateways;
        _checkIns = checkIns;
        _observers = [.. observers];
        _shared = shared;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    internal PresenceEngine Engine => _engine;

    public async ValueTask<BleIngestSummary> IngestAsync(string gatewayId, BleReportFormat format, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        using var batch = new BleSightingBatch();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (format)
        {
            case BleReportFormat.RuuviJson:
                RuuviGatewayReader.Read(body.Span, gatewayId, now, batch, _options.MaxAdvertLength);
                break;
            case BleReportFormat.Ndjson:
                NdjsonSightingReader.Read(body.Span, isFinalBlock: true, gatewayId, now, batch, _options.MaxAdvertLength);
                break;
            case BleReportFormat.Btsnoop:
                BtsnoopReader.Read(body.Span, gatewayId, batch);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format.");
        }

        return await ProcessAsync(gatewayId, batch, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<BleIngestSummary> IngestAsync(string gatewayId, BleReportFormat format, Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(body);
        var buffer = ArrayPool<byte>.Shared.Rent(StreamChunk);
        try
        {
            if (format != BleReportFormat.Ndjson)
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        buffer = Grow(buffer, length);
                    }

                    var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    EnsureWithinLimit(length);
                }

                return await IngestAsync(gatewayId, format, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            // NDJSON is processed as it arrives, a few thousand sightings at a time, so memory stays flat for any body.
            // Only new bytes are searched for a newline (a body that is one long line is scanned once, not once per read),
            // and a partial line longer than MaxNdjsonLineBytes is dropped up to its newline.
            using var batch = new BleSightingBatch();
            var summary = default(BleIngestSummary);
            int filled = 0, total = 0;
            var discarding = false;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    buffer = Grow(buffer, filled);
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                total += read;
                EnsureWithinLimit(total);
                var fresh = filled;
                filled += read;
                var final = read == 0;
                if (discarding)
                {
                    var newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        filled = 0;
                        if (!final)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        buffer.AsSpan(newline + 1, filled - newline - 1).CopyTo(buffer);
                        filled -= newline + 1;
                    }

                    fresh = 0;
                    discarding = false;
                }

                if (!final && buffer.AsSpan(fresh, filled - fresh).IndexOf((byte)'\n') < 0)
                {
                    if (filled > MaxNdjsonLineBytes)
                    {
                        batch.Rejected++;
                        filled = 0;
                        discarding = true;
                    }

                    continue;
                }

                var consumed = NdjsonSightingReader.Read(buffer.AsSpan(0, filled), final, gatewayId, _time.GetUtcNow().ToUnixTimeMilliseconds(), batch, _options.MaxAdvertLength);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (final || batch.Count + batch.Rejected >= SightingsPerBatch)
                {
                    summary = Add(summary, await ProcessAsync(gatewayId, batch, cancellationToken).ConfigureAwait(false));
                    batch.Clear();
                }

                if (final)
                {
                    return summary;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ValueTask<BleIngestSummary> IngestAsync(BleSightingBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return ProcessAsync(batch.Count > 0 ? batch.Sightings[0].GatewayId : null, batch, cancellationToken);
    }

    /// <summary>Rolls EID windows and exits devices no longer heard; the hosted service calls it every interval.</summary>
    public void Housekeep()
    {
        _eids.Roll();
        var exits = new List<BlePresenceEvent>();
        lock (_engine.SyncRoot)
        {
            _engine.Sweep(_time.GetUtcNow().ToUnixTimeMilliseconds(), exits);
        }

        if (exits.Count > 0)
        {
            _metrics.Exits.Add(exits.Count);
            Notify(exits);
        }
    }

    private ValueTask<BleIngestSummary> ProcessAsync(string? nonceGatewayId, BleSightingBatch batch, CancellationToken cancellationToken) =>
        BleTracing.Source.HasListeners() ? ProcessTracedAsync(nonceGatewayId, batch, cancellationToken) : ProcessCoreAsync(nonceGatewayId, batch, cancellationToken);

    /// <summary>The report under an <c>eventkit.ble.report</c> span: the check-ins it admits are its children.</summary>
    private async ValueTask<BleIngestSummary> ProcessTracedAsync(string? nonceGatewayId, BleSightingBatch batch, CancellationToken cancellationToken)
    {
        using var span = BleTracing.StartReport(nonceGatewayId, batch.Count + batch.Rejected);
        try
        {
            var summary = await ProcessCoreAsync(nonceGatewayId, batch, cancellationToken).ConfigureAwait(false);
            BleTracing.Finish(span, summary);
            return summary;
        }
        catch (Exception e) when (span is not null)
        {
            span.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async ValueTask<BleIngestSummary> ProcessCoreAsync(string? nonceGatewayId, BleSightingBatch batch, CancellationToken cancellationToken)
    {
        var total = batch.Count + batch.Rejected;
        if (batch.Nonce is { } nonce && nonceGatewayId is not null && _gateways.TryGetGate(nonceGatewayId, out _)
            && !await _shared.TryAcceptNonceAsync(nonceGatewayId, nonce).ConfigureAwait(false))
        {
            Log.NonceReplayed(_logger, nonceGatewayId, nonce);
            _metrics.ReplayedReports.Add(1);
            _metrics.AdvertsRejected.Add(total);
            return new BleIngestSummary(total, 0, 0, total);
        }

        var entries = new List<BlePresenceEvent>();
        var events = new List<BlePresenceEvent>();
        var counts = Resolve(batch, entries, events);
        _metrics.AdvertsParsed.Add(batch.Count);
        _metrics.AdvertsRejected.Add(counts.Rejected + batch.Rejected);
        _metrics.Resolved.Add(counts.Resolved);
        if (entries.Count > 0 && _shared.SharesEntries)
        {
            await CheckEntriesAcrossNodesAsync(entries, events).ConfigureAwait(false);
        }

        Count(events);
        if (events.Count > 0)
        {
            Notify(events);
        }

        var admitted = 0;
        foreach (var entry in entries)
        {
            if (await CheckInAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                admitted++;
            }
        }

        return new BleIngestSummary(total, counts.Resolved, admitted, counts.Rejected + batch.Rejected, counts.UnknownGateway);
    }

    /// <summary>Entries this node accepted are refused when another node saw the participant enter another gate within the
    /// travel time: one round trip each (entries are rare next to sightings), all sent before any is awaited so a batch
    /// with many entries pipelines them on the connection instead of waiting for each in turn.</summary>
    private async ValueTask CheckEntriesAcrossNodesAsync(List<BlePresenceEvent> entries, List<BlePresenceEvent> events)
    {
        var checks = new ValueTask<SharedEntryCheck>[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            checks[i] = _shared.TryRecordEntryAsync(entries[i].GateId, entries[i].ParticipantId, entries[i].At.ToUnixTimeMilliseconds());
        }

        var refused = new bool[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var check = await checks[i].ConfigureAwait(false);
            if (!check.CloneSuspected)
            {
                continue;
            }

            var entry = entries[i];
            lock (_engine.SyncRoot)
            {
                _engine.RefuseEntry(entry.GateId, entry.ParticipantId);
            }

            refused[i] = true;
            var index = events.IndexOf(entry);
            events[index] = entry with { Kind = BlePresenceEventKind.CloneSuspected, OtherGateId = check.OtherGateId };
        }

        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (refused[i])
            {
                entries.RemoveAt(i);
            }
        }
    }

    /// <summary>The synchronous part: one lock for the whole batch, nothing allocated per sighting.</summary>
    internal (int Resolved, int Rejected, bool UnknownGateway) Resolve(BleSightingBatch batch, List<BlePresenceEvent> entries, List<BlePresenceEvent> events)
    {
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var oldest = nowMs - (long)_options.MaxSightingAge.TotalMilliseconds;
        var newest = nowMs + (long)_options.MaxClockSkew.TotalMilliseconds;
        int resolved = 0, rejected = 0;
        var unknownGateway = false;
        string? lastGateway = null;
        long gateId = 0;
        var gateKnown = false;
        var calibrated = false;
        var calibration = 0;

        lock (_engine.SyncRoot)
        {
            foreach (ref readonly var sighting in batch.Sightings)
            {
                // Reports carry one gateway id string: compare references before looking it up again.
                if (!ReferenceEquals(sighting.GatewayId, lastGateway))
                {
                    lastGateway = sighting.GatewayId;
                    gateKnown = _gateways.TryGetGate(lastGateway, out gateId);
                    calibrated = _calibrations.TryGetValue(lastGateway, out calibration);
                    if (!gateKnown)
                    {
                        unknownGateway = true;
                        Log.UnknownGateway(_logger, lastGateway);
                    }
                }

                if (!gateKnown || sighting.TimestampMs < oldest || sighting.TimestampMs > newest)
                {
                    rejected++;
                    continue;
                }

                var seenAt = DateTimeOffset.FromUnixTimeMilliseconds(sighting.TimestampMs);
                switch (_credentials.Resolve(sighting.Advert.Span, seenAt, out var participantId, out var kind, out var power))
                {
                    case CredentialOutcome.Malformed:
                        rejected++;
                        continue;
                    case CredentialOutcome.NotACredential:
                        continue;
                }

                resolved++;

                // A calibrated gateway's reference wins over whatever tx power the advert states.
                if (calibrated)
                {
                    power = calibration;
                }

                var outcome = _engine.Observe(gateId, participantId, kind, sighting.Rssi, power, sighting.TimestampMs, nowMs, out var otherGate);
                switch (outcome)
                {
                    case PresenceOutcome.Entered:
                        var entered = new BlePresenceEvent(BlePresenceEventKind.Entered, gateId, participantId, kind, seenAt);
                        entries.Add(entered);
                        events.Add(entered);
                        break;
                    case PresenceOutcome.Exited:
                        events.Add(new BlePresenceEvent(BlePresenceEventKind.Exited, gateId, participantId, kind, seenAt));
                        break;
                    case PresenceOutcome.CloneSuspected:
                        events.Add(new BlePresenceEvent(BlePresenceEventKind.CloneSuspected, gateId, participantId, kind, seenAt, otherGate));
                        break;
                }
            }
        }

        return (resolved, rejected, unknownGateway);
    }

    private void Count(List<BlePresenceEvent> events)
    {
        foreach (var presenceEvent in events)
        {
            switch (presenceEvent.Kind)
            {
                case BlePresenceEventKind.Entered:
                    _metrics.Enters.Add(1);
                    break;
                case BlePresenceEventKind.Exited:
                    _metrics.Exits.Add(1);
                    break;
                case BlePresenceEventKind.CloneSuspected:
                    _metrics.CloneRejections.Add(1);
                    Log.CloneSuspected(_logger, presenceEvent.ParticipantId, presenceEvent.GateId, presenceEvent.OtherGateId ?? 0);
                    break;
            }
        }
    }

    private async ValueTask<bool> CheckInAsync(BlePresenceEvent entry, CancellationToken cancellationToken)
    {
        var request = CheckInRequest.ForParticipant(entry.GateId, entry.ParticipantId, CheckInMethod.Ble, entry.CredentialKind, entry.At, RequestId(entry));
        CheckInResult result;
        try
        {
            result = await _checkIns.CheckInAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (EventKitUnavailableException)
        {
            result = CheckInResult.Unavailable(entry.GateId, TimeSpan.Zero);
        }

        // Not stored, or refused only for now (before the event's opening hours): the participant's next sightings try
        // again, so someone waiting at the door is admitted when it opens without leaving and coming back.
        if (result.Status is CheckInStatus.Unavailable or CheckInStatus.EventClosed)
        {
            lock (_engine.SyncRoot)
            {
                _engine.ForgetEntry(entry.GateId, entry.ParticipantId);
            }

            await _shared.ForgetEntryAsync(entry.GateId, entry.ParticipantId, entry.At.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        }

        if (!result.IsSuccess)
        {
            Log.CheckInFailed(_logger, entry.ParticipantId, entry.GateId, result.Status);
        }

        return result.Status == CheckInStatus.Admitted;
    }

    /// <summary>The same entry processed twice (a gateway retrying a report, two nodes) gets the same idempotency key.</summary>
    private static Guid RequestId(in BlePresenceEvent entry)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(input, entry.GateId);
        BinaryPrimitives.WriteInt64BigEndian(input[8..], entry.ParticipantId);
        BinaryPrimitives.WriteInt64BigEndian(input[16..], entry.At.ToUnixTimeMilliseconds());
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);

        // RFC 9562 version 8 (custom) and variant bits.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private void Notify(List<BlePresenceEvent> events)
    {
        foreach (var observer in _observers)
        {
            foreach (var presenceEvent in events)
            {
                try
                {
                    observer.OnPresenceEvent(presenceEvent);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.ObserverFailed(_logger, ex);
                }
            }
        }
    }

    private void EnsureWithinLimit(int length)
    {
        if (length > _options.MaxReportBytes)
        {
            throw new BleReportFormatException($"The report is larger than EventKit:Ble:MaxReportBytes ({_options.MaxReportBytes} bytes).");
        }
    }

    private static byte[] Grow(byte[] buffer, int used)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static BleIngestSummary Add(BleIngestSummary a, BleIngestSummary b)
        => new(a.Sightings + b.Sightings, a.Resolved + b.Resolved, a.Admitted + b.Admitted, a.Rejected + b.Rejected, a.UnknownGateway || b.UnknownGateway);
}
