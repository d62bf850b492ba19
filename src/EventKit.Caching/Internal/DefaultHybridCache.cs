using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventKit.Redis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>
/// EventKit's <see cref="HybridCache"/>: L1 = size-limited <see cref="MemoryCache"/>, L2 = Redis (optional), with
/// stampede protection, tags, a pub/sub backplane, fail-safe and metrics. Concerns live in partial files
/// (<c>.L1.cs</c>, <c>.L2.cs</c>, <c>.Stampede.cs</c>, <c>.Tags.cs</c>, <c>.Backplane.cs</c>, <c>.Memory.cs</c>);
/// the invariants are in readme.md next to this file.
/// </summary>
internal sealed partial class DefaultHybridCache : HybridCache, IHybridCacheStatistics, IDisposable
{
    /// <summary>The longest key cached, as Microsoft's <c>HybridCacheOptions.MaximumKeyLength</c> default.</summary>
    internal const int MaximumKeyLength = 1024;

    private readonly HybridCachingOptions _options;
    private readonly TimeProvider _time;
    private readonly CoarseClock _clock;
    private readonly MemoryCache _memory;
    private readonly CacheSerializers _serializers;
    private readonly CacheMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RedisL2Store? _l2;
    private readonly ITimer? _replayTimer;

    public DefaultHybridCache(
        IOptions<HybridCachingOptions> options,
        TimeProvider time,
        IMeterFactory meterFactory,
        ILogger<DefaultHybridCache> logger,
        IServiceProvider? services = null,
        IRedisConnection? redis = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _clock = new CoarseClock(time);
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.L1Capacity });
        _frequency = new FrequencySketch(_options.L1Capacity);
        _serializers = new CacheSerializers(services);
        _metrics = new CacheMetrics(meterFactory, _options.Name, () => _l2?.IsCircuitOpen ?? false, () => _memory.Count);
        _onEvicted = OnEvicted;
        InstanceId = Guid.NewGuid().ToString("N");
        if (_options.UseRedis && redis is { IsConfigured: true })
        {
            _l2 = new RedisL2Store(_options, redis, time, _clock, _metrics, logger);
            InitializeTags();
            _l2.ConnectionRestored += subscription => _ = OnConnectionRestoredAsync(subscription);
            _l2.Attach(_options.EnableBackplane ? OnBackplaneMessage : null);

            // Deferred invalidations must not wait for the next L2 call, which may never come while L1 answers.
            _replayTimer = _time.CreateTimer(static state => _ = ((DefaultHybridCache)state!).ReplayDeferredAsync(), this, _options.CircuitBreakDuration, _options.CircuitBreakDuration);
        }

        _memoryTimer = StartMemoryMonitor();
    }

    /// <summary>This instance's id on the backplane (unique per cache instance, so a node can ignore its own messages).</summary>
    internal string InstanceId { get; }

    internal bool HasL2 => _l2 is not null;

    /// <summary>The raw counters behind the cache's metrics.</summary>
    internal CacheMetrics Metrics => _metrics;

    internal bool IsL2Connected => _l2?.IsConnected ?? false;

    internal MemoryCache L1 => _memory;

    /// <summary>Probes Redis past the circuit (the <c>reset_redis_circuit</c> action); <see langword="null"/> without an L2.</summary>
    internal ValueTask<RedisProbe>? ProbeL2Async() => _l2?.ProbeAsync();

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
        => GetOrCreateCoreAsync(key, state, factory, options, tags, tagsFromValue: null, cancellationToken);

    /// <summary>
    /// The GetOrCreate path; <paramref name="tagsFromValue"/> lets EventKit's directories tag an entry with what the
    /// factory returned (a credential entry gets <c>participant:{id}</c> once the id is known).
    /// </summary>
    internal ValueTask<T> GetOrCreateCoreAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        cancellationToken.ThrowIfCancellationRequested();
        return CacheTracing.Source.HasListeners()
            ? GetOrCreateTracedAsync(key, state, factory, options, tags, tagsFromValue, cancellationToken)
            : GetOrCreateUntraced(key, state, factory, options, tags, tagsFromValue, out _, cancellationToken);
    }

    /// <summary>The call under an <c>eventkit.cache.get</c> span, only while a listener samples EventKit.Caching; L2 reads and the factory are child spans.</summary>
    private async ValueTask<T> GetOrCreateTracedAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue,
        CancellationToken cancellationToken)
    {
        using var activity = CacheTracing.StartGet(_options.Name, key);
        var pending = GetOrCreateUntraced(key, state, factory, options, tags, tagsFromValue, out var l1Hit, cancellationToken);
        activity?.SetTag(CacheTracing.HitTag, l1Hit ? "l1" : "miss");
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (activity is not null)
        {
            activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private ValueTask<T> GetOrCreateUntraced<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue,
        out bool l1Hit,
        CancellationToken cancellationToken)
    {
        l1Hit = false;
        var flags = options?.Flags ?? HybridCacheEntryFlags.None;
        if (!IsCacheableKey(key))
        {
            // As Microsoft's HybridCache: a key that cannot be cached safely still gets its data, uncached.
            Log.KeyNotCacheable(_logger, key.Length);
            return (flags & HybridCacheEntryFlags.DisableUnderlyingData) == 0 ? factory(state, cancellationToken) : default;
        }

        if ((flags & HybridCacheEntryFlags.DisableLocalCacheRead) == 0 && TryGetL1<T>(key, out var entry))
        {
            if (entry.RefreshAtMs <= _clock.NowMs)
            {
                StartEagerRefresh(key, entry, state, factory, options, tags, tagsFromValue);
            }

            l1Hit = true;
            return new ValueTask<T>(entry.Value);
        }

        return GetOrCreateSlowAsync(key, state, factory, options, tags, tagsFromValue, flags, cancellationToken);
    }

    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var flags = options?.Flags ?? HybridCacheEntryFlags.None;
        if ((flags & HybridCacheEntryFlags.DisableUnderlyingData) != 0 || !IsCacheableKey(key))
        {
            // As Microsoft's HybridCache, whose SetAsync is a GetOrCreate whose "underlying data" is the value: with
            // that flag nothing is written anywhere.
            return;
        }

        await StoreAsync(key, value, options, ToTagArray(tags), flags, publish: true).ConfigureAwait(false);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RemoveAsync([key], cancellationToken);
    }

    public override async ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var array = keys as string[] ?? [.. keys];
        if (array.Length == 0)
        {
            return;
        }

        foreach (var key in array)
        {
            _memory.Remove(key);
        }

        if (_l2 is not null)
        {
            if (await _l2.DeleteAsync(array).ConfigureAwait(false))
            {
                // One message per batch of keys: a bulk registration must not cost one publish per key.
                for (var start = 0; start < array.Length; start += KeysPerMessage)
                {
                    var batch = array.AsSpan(start, Math.Min(KeysPerMessage, array.Length - start));
                    await PublishAsync(BackplaneKind.Key, string.Join(KeySeparator, batch)).ConfigureAwait(false);
                }
            }
            else
            {
                foreach (var key in array)
                {
                    Defer(BackplaneKind.Key, key, 0);
                }
            }
        }
    }

    public HybridCacheStatistics GetSnapshot() => new(
        Volatile.Read(ref _metrics.L1Hits),
        Volatile.Read(ref _metrics.L1Misses),
        Volatile.Read(ref _metrics.L2Hits),
        Volatile.Read(ref _metrics.L2Misses),
        Volatile.Read(ref _metrics.FactoryCalls),
        Volatile.Read(ref _metrics.L2ErrorCount),
        _l2?.IsCircuitOpen ?? false,
        _memory.Count,
        Volatile.Read(ref _metrics.EvictionCount),
        Volatile.Read(ref _metrics.BackplaneSent),
        Volatile.Read(ref _metrics.BackplaneReceived),
        _metrics.PrefixSnapshot());

    public void Dispose()
    {
        _replayTimer?.Dispose();
        _memoryTimer?.Dispose();
        _clock.Dispose();
        _memory.Dispose();
    }

    /// <summary>An L1 miss: not async itself, so the miss path has one state machine fewer (<see cref="JoinFlightAsync"/> counts the outcome).</summary>
    private ValueTask<T> GetOrCreateSlowAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue,
        HybridCacheEntryFlags flags,
        CancellationToken cancellationToken)
    {
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheRead) == 0)
        {
            Interlocked.Increment(ref _metrics.L1Misses);
        }

        return JoinFlightAsync(key, state, factory, options, ToTagArray(tags), tagsFromValue, flags, cancellationToken);
    }

    private void CountOutcome(string key, bool fromFactory)
    {
        var prefix = _metrics.ForKey(key);
        Interlocked.Increment(ref fromFactory ? ref prefix.Misses : ref prefix.Hits);
    }

    /// <summary>The work one flight does for all its waiters: L2, then the factory, then both tiers are written; the second item is true when no tier answered.</summary>
    private async Task<(T Value, bool FromFactory)> LoadAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        string[] tags,
        Func<T, string[]?>? tagsFromValue,
        HybridCacheEntryFlags flags,
        CancellationToken cancellationToken)
    {
        var now = _clock.Refresh();
        StaleValue<T> stale = default;
        if (_l2 is not null && (flags & HybridCacheEntryFlags.DisableDistributedCacheRead) == 0)
        {
            // The Redis call is awaited here and decoded synchronously: one async layer per L2 read, not two.
            L2Read<T> read;
            using (var l2Span = CacheTracing.Source.StartActivity(CacheTracing.L2Get))
            {
                read = DecodeL2<T>(await _l2.GetAsync(key).ConfigureAwait(false), now);
                l2Span?.SetTag(CacheTracing.HitTag, read.Found ? "l2" : "miss");
            }

            if (read.Found)
            {
                Interlocked.Increment(ref _metrics.L2Hits);
                if ((flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
                {
                    WriteL1(key, read.Value, read.Payload.Tags, read.Payload.CreatedStamp, LocalLifetime(key, options, read.Payload.IsNull, now, read.Payload.ExpiresAtMs));
                }

                return (read.Value, false);
            }

            Interlocked.Increment(ref _metrics.L2Misses);
            stale = read.Stale;
        }

        if ((flags & HybridCacheEntryFlags.DisableUnderlyingData) != 0)
        {
            // Counted as a miss (the second item) although no factory ran: nothing answered the request.
            return (default!, true);
        }

        T value;
        var started = Stopwatch.GetTimestamp();
        var factorySpan = CacheTracing.Source.StartActivity(CacheTracing.Factory);
        try
        {
            value = await factory(state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && TryGetStale(key, now, ref stale))
        {
            factorySpan?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            factorySpan?.SetTag(CacheTracing.StaleTag, true);
            Log.ServingStale(_logger, TimeSpan.FromMilliseconds(now - stale.ExpiredAtMs), e);
            return (stale.Value!, true);
        }
        catch (Exception e) when (factorySpan is not null)
        {
            factorySpan.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            factorySpan?.Dispose();
            _metrics.FactoryDuration(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        var allTags = tagsFromValue is null ? tags : Concat(tags, value is null ? null : tagsFromValue(value));
        await StoreAsync(key, value, options, allTags, flags, publish: false).ConfigureAwait(false);
        return (value, true);
    }

    /// <summary>Writes a value to L1 and L2 (each unless its flag says not to) and optionally tells other nodes.</summary>
    private async ValueTask StoreAsync<T>(string key, T value, HybridCacheEntryOptions? options, string[] tags, HybridCacheEntryFlags flags, bool publish)
    {
        var now = _clock.Refresh();
        var isNull = value is null;
        var lifetime = Lifetime(options, isNull);
        var stamp = NextStamp();
        var expiresAtMs = now + (long)lifetime.TotalMilliseconds;
        if ((flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0)
        {
            WriteL1(key, value, tags, stamp, LocalLifetime(key, options, isNull, now, expiresAtMs));
        }
        else if (publish)
        {
            // A set that skips L1 must not leave the previous value there.
            _memory.Remove(key);
        }

        if (_l2 is null || (flags & HybridCacheEntryFlags.DisableDistributedCacheWrite) != 0)
        {
            return;
        }

        var written = await WriteL2Async(key, value, isNull, stamp, expiresAtMs, lifetime, tags).ConfigureAwait(false);
        if (!written && publish)
        {
            // An explicit set that could not reach Redis: the old L2 value must go once Redis is back.
            Defer(BackplaneKind.Key, key, 0);
        }
        else if (publish)
        {
            await PublishAsync(BackplaneKind.Key, key).ConfigureAwait(false);
        }
    }

    private TimeSpan Lifetime(HybridCacheEntryOptions? options, bool isNull)
    {
        var lifetime = options?.Expiration ?? _options.DefaultExpiration;
        return isNull && _options.NegativeExpiration > TimeSpan.Zero && _options.NegativeExpiration < lifetime ? _options.NegativeExpiration : lifetime;
    }

    /// <summary>The L1 lifetime: the caller's L1 expiration (else its Expiration, else the default), longer for hot keys, never beyond the L2 expiry.</summary>
    private TimeSpan LocalLifetime(string key, HybridCacheEntryOptions? options, bool isNull, long nowMs, long expiresAtMs)
    {
        var local = options?.LocalCacheExpiration ?? options?.Expiration ?? _options.DefaultLocalExpiration;
        if (isNull && _options.NegativeExpiration > TimeSpan.Zero && _options.NegativeExpiration < local)
        {
            local = _options.NegativeExpiration;
        }
        else if (IsHot(key))
        {
            local *= _options.HotKeyLifetimeMultiplier;
        }

        var remaining = TimeSpan.FromMilliseconds(expiresAtMs - nowMs);
        return local < remaining ? local : remaining;
    }

    private long NextStamp()
    {
        var now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Volatile.Read(ref _lastStamp);
            var next = now > last ? now : last + 1;
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>
    /// Microsoft's HybridCache rules for keys (not empty or white space, at most 1,024 characters, no control
    /// characters); a control character would also split EventKit's backplane messages, which use NUL as separator.
    /// </summary>
    internal static bool IsCacheableKey(string key) =>
        !string.IsNullOrWhiteSpace(key) && key.Length <= MaximumKeyLength && key.AsSpan().IndexOfAnyInRange('\0', (char)31) < 0;

    private static string[] ToTagArray(IEnumerable<string>? tags)
    {
        if (tags is null)
        {
            return [];
        }

        var array = tags as string[] ?? [.. tags];
        foreach (var tag in array)
        {
            if (string.IsNullOrEmpty(tag) || tag == "*")
            {
                throw new ArgumentException("Tags must not be empty, and '*' is reserved for RemoveByTagAsync(\"*\").", nameof(tags));
            }
        }

        return array;
    }

    private static string[] Concat(string[] first, string[]? second)
    {
        if (second is null || second.Length == 0)
        {
            return first;
        }

        return first.Length == 0 ? second : [.. first, .. second];
    }
}
