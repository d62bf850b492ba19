using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private readonly ConcurrentDictionary<FlightKey, Flight> _flights = new();

    /// <summary>
    /// Joins the flight of <paramref name="key"/> (with the same <paramref name="flags"/>, as Microsoft's HybridCache
    /// does: a caller that may not run the factory, or may not write L1, must not share a flight that does) or starts one. The flight's work runs under its own token, cancelled
    /// only when every waiter has given up, so one caller's cancellation never fails the others.
    /// </summary>
    private async ValueTask<(T Value, bool FromFactory)> JoinFlightAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        string[] tags,
        Func<T, string[]?>? tagsFromValue,
        HybridCacheEntryFlags flags,
        CancellationToken cancellationToken)
    {
        var flightKey = new FlightKey(key, flags);
        Flight<T>? flight = null;
        var leader = false;
        while (flight is null)
        {
            if (_flights.TryGetValue(flightKey, out var existing))
            {
                if (existing is not Flight<T> typed)
                {
                    // The same key asked for as another type: sharing is impossible, so run unshared.
                    return await LoadAsync(key, state, factory, options, tags, tagsFromValue, flags, cancellationToken).ConfigureAwait(false);
                }

                if (typed.TryJoin())
                {
                    flight = typed;
                }
                else
                {
                    // Abandoned by all its waiters (and being cancelled): replace it.
                    _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, existing));
                }
            }
            else
            {
                var created = new Flight<T>();
                created.TryJoin();
                if (_flights.TryAdd(flightKey, created))
                {
                    flight = created;
                    leader = true;
                }
            }
        }

        if (leader)
        {
            var work = RunFlightAsync(flightKey, flight, state, factory, options, tags, tagsFromValue, flags);
            if (!cancellationToken.CanBeCanceled)
            {
                // A leader that cannot give up awaits the work itself: its continuation runs inline when the load
                // completes, instead of hopping through the thread pool as followers do (RunContinuationsAsynchronously).
                await work.ConfigureAwait(false);
                return await flight.Completion.Task.ConfigureAwait(false);
            }
        }

        try
        {
            return await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            flight.Leave();
            throw;
        }
    }

    private async Task RunFlightAsync<TState, T>(
        FlightKey flightKey,
        Flight<T> flight,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        string[] tags,
        Func<T, string[]?>? tagsFromValue,
        HybridCacheEntryFlags flags)
    {
        try
        {
            var result = await LoadAsync(flightKey.Key, state, factory, options, tags, tagsFromValue, flags, flight.Cancellation.Token).ConfigureAwait(false);

            // Leave the map before completing: L1 already holds the value, so later callers hit it instead of a finished flight.
            _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, flight));
            flight.Completion.TrySetResult(result);
        }
        catch (OperationCanceledException e)
        {
            _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, flight));
            flight.Completion.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, flight));
            flight.Completion.TrySetException(e);
        }
    }

    /// <summary>Flights are shared per key and flags.</summary>
    private readonly record struct FlightKey(string Key, HybridCacheEntryFlags Flags);

    /// <summary>One in-progress load of a key, shared by every caller that missed meanwhile.</summary>
    private abstract class Flight
    {
        private readonly Lock _gate = new();
        private int _waiters;
        private bool _abandoned;

        public CancellationTokenSource Cancellation { get; } = new();

        public bool TryJoin()
        {
            lock (_gate)
            {
                if (_abandoned)
                {
                    return false;
                }

                _waiters++;
                return true;
            }
        }

        public void Leave()
        {
            lock (_gate)
            {
                if (--_waiters > 0)
                {
                    return;
                }

                _abandoned = true;
            }

            // Outside the lock: cancellation callbacks run user code.
            Cancellation.Cancel();
        }
    }

    private sealed class Flight<T> : Flight
    {
        public TaskCompletionSource<(T Value, bool FromFactory)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
