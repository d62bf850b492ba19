using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EventKit.Gates.Ble;

/// <summary>Resolves Eddystone-EIDs to participants with one hash lookup.</summary>
/// <remarks>
/// For every identity the table holds the EIDs of the current window and <c>windowsEitherSide</c> windows on each side
/// (clock drift between phone and server). Windows roll per identity (each has its own K and clock offset), so a roll only
/// recomputes the identities whose window ended; temporary keys are cached per 65,536-second epoch. Lookups are lock-free
/// and allocation-free; changes (add, remove, re-key, roll) take one lock. An entry also carries the time range in which it
/// is accepted, so an EID outside its windows never resolves even if a roll is late.
/// </remarks>
public sealed class EddystoneEidResolver : IDisposable
{
    private readonly ConcurrentDictionary<ulong, EidEntry> _table = new();
    private readonly Dictionary<long, IdentityState> _identities = [];
    private readonly PriorityQueue<IdentityState, long> _rolls = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Aes _aes = Aes.Create();
    private readonly int _windowsEitherSide;
    private long _nextRollAt = long.MaxValue;

    /// <summary>Creates an empty resolver.</summary>
    /// <param name="timeProvider">The clock that decides the current windows.</param>
    /// <param name="windowsEitherSide">How many windows before and after the current one also resolve (0 to 8; default 1).</param>
    public EddystoneEidResolver(TimeProvider timeProvider, int windowsEitherSide = 1)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(windowsEitherSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowsEitherSide, 8);
        _time = timeProvider;
        _windowsEitherSide = windowsEitherSide;
    }

    /// <summary>How many identities the resolver holds.</summary>
    public int IdentityCount
    {
        get
        {
            lock (_gate)
            {
                return _identities.Count;
            }
        }
    }

    /// <summary>How many EIDs the lookup table holds.</summary>
    public int EidCount => _table.Count;

    /// <summary>Adds an identity or replaces (re-keys) the one the participant had.</summary>
    public void AddOrUpdate(BleIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            RemoveLocked(identity.ParticipantId);
            var state = new IdentityState(identity, 2 * _windowsEitherSide + 1);
            _identities.Add(identity.ParticipantId, state);
            RollLocked(state, now);
        }
    }

    /// <summary>Removes a participant's identity (revoked, suspended, deleted); its EIDs stop resolving at once.</summary>
    /// <returns><see langword="false"/> if the resolver held no identity for the participant.</returns>
    public bool Remove(long participantId)
    {
        lock (_gate)
        {
            return RemoveLocked(participantId);
        }
    }

    /// <summary>Replaces every identity with <paramref name="identities"/>: added, re-keyed and missing ones are applied
    /// incrementally, unchanged ones keep their table entries.</summary>
    public void Load(IEnumerable<BleIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            var seen = new HashSet<long>();
            foreach (var identity in identities)
            {
                seen.Add(identity.ParticipantId);
                if (_identities.TryGetValue(identity.ParticipantId, out var existing) && existing.Identity.Equals(identity))
                {
                    continue;
                }

                RemoveLocked(identity.ParticipantId);
                var state = new IdentityState(identity, 2 * _windowsEitherSide + 1);
                _identities.Add(identity.ParticipantId, state);
                RollLocked(state, now);
            }

            List<long>? gone = null;
            foreach (var participantId in _identities.Keys)
            {
                if (!seen.Contains(participantId))
                {
                    (gone ??= []).Add(participantId);
                }
            }

            if (gone is not null)
            {
                foreach (var participantId in gone)
                {
                    RemoveLocked(participantId);
                }
            }
        }
    }

    /// <summary>Rolls every identity whose current window has ended by now. Lookups also roll when they notice one is due,
    /// so calling this on a timer only moves the work off the lookup path.</summary>
    /// <returns>How many identities rolled.</returns>
    public int Roll() => Roll(_time.GetUtcNow());

    /// <summary>Resolves an EID seen at <paramref name="seenAt"/>.</summary>
    /// <param name="eid">The EID as <see cref="EddystoneEidFrame.Eid"/> reads it.</param>
    /// <param name="seenAt">When the advert was seen; the EID must be inside its accepted windows at that time.</param>
    /// <param name="participantId">The participant, when resolved.</param>
    /// <returns><see langword="false"/> for an unknown EID or one outside its accepted windows.</returns>
    public bool TryResolve(ulong eid, DateTimeOffset seenAt, out long participantId)
    {
        var now = _time.GetUtcNow();
        if (now.ToUnixTimeSeconds() >= Volatile.Read(ref _nextRollAt))
        {
            Roll(now);
        }

        var seconds = seenAt.ToUnixTimeSeconds();
        if (_table.TryGetValue(eid, out var entry) && seconds >= entry.ValidFrom && seconds < entry.ValidUntil)
        {
            participantId = entry.ParticipantId;
            return true;
        }

        participantId = 0;
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _aes.Dispose();

    private int Roll(DateTimeOffset at)
    {
        var now = at.ToUnixTimeSeconds();
        var rolled = 0;
        lock (_gate)
        {
            while (_rolls.TryPeek(out var state, out var due) && due <= now)
            {
                _rolls.Dequeue();
                if (state.Removed || state.NextRollAt != due)
                {
                    continue;
                }

                RollLocked(state, now);
                rolled++;
            }

            Volatile.Write(ref _nextRollAt, _rolls.TryPeek(out _, out var next) ? next : long.MaxValue);
        }

        return rolled;
    }

    private bool RemoveLocked(long participantId)
    {
        if (!_identities.Remove(participantId, out var state))
        {
            return false;
        }

        state.Removed = true;
        for (var i = 0; i < state.Windows.Length; i++)
        {
            if (state.HasWindow[i])
            {
                _table.TryRemove(new KeyValuePair<ulong, EidEntry>(state.Eids[i], state.Entries[i]));
            }
        }

        return true;
    }

    private void RollLocked(IdentityState state, long now)
    {
        var identity = state.Identity;
        int k = identity.RotationExponent;
        long windowLength = 1L << k;
        var counter = unchecked((uint)(now - identity.ClockOffset));
        long current = counter >> k;
        long currentStartUnix = now - (counter - (current << k));
        var n = _windowsEitherSide;

        // Drop windows that fell out of [current − n, current + n]; keep the rest.
        for (var i = 0; i < state.Windows.Length; i++)
        {
            if (state.HasWindow[i] && (state.Windows[i] < current - n || state.Windows[i] > current + n))
            {
                _table.TryRemove(new KeyValuePair<ulong, EidEntry>(state.Eids[i], state.Entries[i]));
                state.HasWindow[i] = false;
            }
        }

        for (var window = current - n; window <= current + n; window++)
        {
            // Counters are 32-bit: windows below zero or past the top do not exist.
            if (window < 0 || window > (uint.MaxValue >> k) || state.Holds(window))
            {
                continue;
            }

            var slot = state.FreeSlot();
            var windowCounter = (uint)(window << k);
            var eid = EddystoneEid.ComputeFromTemporaryKey(_aes, state.TemporaryKey(_aes, windowCounter), identity.RotationExponent, windowCounter);
            var windowStartUnix = currentStartUnix + ((window - current) * windowLength);
            var entry = new EidEntry(identity.ParticipantId, windowStartUnix - (n * windowLength), windowStartUnix + ((n + 1) * windowLength));
            state.Windows[slot] = window;
            state.Eids[slot] = eid;
            state.Entries[slot] = entry;
            state.HasWindow[slot] = true;
            _table[eid] = entry;
        }

        state.NextRollAt = currentStartUnix + windowLength;
        _rolls.Enqueue(state, state.NextRollAt);
        if (state.NextRollAt < Volatile.Read(ref _nextRollAt))
        {
            Volatile.Write(ref _nextRollAt, state.NextRollAt);
        }
    }

    private readonly record struct EidEntry(long ParticipantId, long ValidFrom, long ValidUntil);

    private sealed class IdentityState(BleIdentity identity, int windowCount)
    {
        private readonly byte[] _temporaryKeys = new byte[32];
        private readonly uint[] _epochs = new uint[2];
        private readonly bool[] _hasEpoch = new bool[2];
        private int _nextEpochSlot;

        public BleIdentity Identity { get; } = identity;

        public long[] Windows { get; } = new long[windowCount];

        public ulong[] Eids { get; } = new ulong[windowCount];

        public EidEntry[] Entries { get; } = new EidEntry[windowCount];

        public bool[] HasWindow { get; } = new bool[windowCount];

        public long NextRollAt { get; set; }

        public bool Removed { get; set; }

        public bool Holds(long window)
        {
            for (var i = 0; i < Windows.Length; i++)
            {
                if (HasWindow[i] && Windows[i] == window)
                {
                    return true;
                }
            }

            return false;
        }

        public int FreeSlot()
        {
            for (var i = 0; i < HasWindow.Length; i++)
            {
                if (!HasWindow[i])
                {
                    return i;
                }
            }

            throw new InvalidOperationException("No free EID window slot; the window range is larger than the slots.");
        }

        // The temporary key changes every 65,536 s; with the default ±1 window the windows around now span at most two
        // epochs, so two slots avoid recomputation (wider ranges still compute correctly, only less cached).
        public ReadOnlySpan<byte> TemporaryKey(Aes aes, uint counter)
        {
            var epoch = counter >> 16;
            for (var i = 0; i < 2; i++)
            {
                if (_hasEpoch[i] && _epochs[i] == epoch)
                {
                    return _temporaryKeys.AsSpan(i * 16, 16);
                }
            }

            var slot = _nextEpochSlot;
            _nextEpochSlot ^= 1;
            EddystoneEid.ComputeTemporaryKey(aes, Identity.IdentityKey.Span, counter, _temporaryKeys.AsSpan(slot * 16, 16));
            _epochs[slot] = epoch;
            _hasEpoch[slot] = true;
            return _temporaryKeys.AsSpan(slot * 16, 16);
        }
    }
}
