using EventKit.Internal;
using System.Collections.Concurrent;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    /// <summary>Tag → stamp of its latest invalidation; an entry created at or before that stamp is invalid.</summary>
    private readonly ConcurrentDictionary<string, long> _tagInvalidations = new(StringComparer.Ordinal);
    private long _allInvalidatedAt;
    private bool _tagsLoaded;
    private long _lastStamp;

    /// <summary>Bumped by every invalidation; L1 entries validated at the current epoch skip tag lookups.</summary>
    private int _tagEpoch;

    public override async ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            // As Microsoft's HybridCache: no such tag can have been given to an entry, so there is nothing to do.
            return;
        }

        var stamp = NextStamp();
        ApplyTagInvalidation(tag, stamp);
        if (tag == "*")
        {
            _memory.Clear();
        }

        if (_l2 is not null)
        {
            // Stored in Redis so that nodes which start later, or missed the message, still see it.
            if (!await _l2.SetTagInvalidationAsync(tag, stamp).ConfigureAwait(false))
            {
                Defer(BackplaneKind.Tag, tag, stamp);
                return;
            }

            await PublishAsync(BackplaneKind.Tag, string.Concat(stamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", tag)).ConfigureAwait(false);
        }
    }

    private bool Revalidate(L1Entry entry)
    {
        var epoch = Volatile.Read(ref _tagEpoch);
        if (IsInvalidated(entry.CreatedStamp, entry.Tags))
        {
            return false;
        }

        entry.ValidatedEpoch = epoch;
        return true;
    }

    private bool IsInvalidated(long createdStamp, string[] tags)
    {
        if (createdStamp <= Volatile.Read(ref _allInvalidatedAt))
        {
            return true;
        }

        foreach (var tag in tags)
        {
            if (_tagInvalidations.TryGetValue(tag, out var invalidatedAt) && createdStamp <= invalidatedAt)
            {
                return true;
            }
        }

        return false;
    }

    private void ApplyTagInvalidation(string tag, long stamp)
    {
        if (tag == "*")
        {
            InterlockedMax.Raise(ref _allInvalidatedAt, stamp);
        }
        else
        {
            _tagInvalidations.AddOrUpdate(tag, static (_, s) => s, static (_, old, s) => Math.Max(old, s), stamp);
        }

        // Entries created here after a remote invalidation must get a later stamp even if this clock lags.
        InterlockedMax.Raise(ref _lastStamp, stamp);
        Interlocked.Increment(ref _tagEpoch);
    }

    private void InitializeTags()
    {
        // Blocking once at construction (bounded by a 5 s budget): a node must know earlier invalidations before it serves L2 values.
        // When Redis is down at start, the stamps are read on the first recovery instead (OnConnectionRestoredAsync).
        if (_l2!.IsConnected)
        {
            ApplyTagStamps(_l2.ReadTagInvalidationsAsync().AsTask().GetAwaiter().GetResult());
        }
    }

    private async Task ResyncTagsAsync()
    {
        ApplyTagStamps(await _l2!.ReadTagInvalidationsAsync().ConfigureAwait(false));
    }

    private void ApplyTagStamps(List<KeyValuePair<string, long>>? stamps)
    {
        if (stamps is null)
        {
            return;
        }

        _tagsLoaded = true;

        foreach (var (tag, stamp) in stamps)
        {
            ApplyTagInvalidation(tag, stamp);
        }
    }
}
