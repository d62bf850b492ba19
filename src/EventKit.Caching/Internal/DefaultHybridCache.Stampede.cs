using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private readonly ConcurrentDictionary<FlightKey, Flight> _flights = new();

    /// <summary>
    /// Joins the flight of <paramref name="key"/> with the same <paramref name="flags"/> (as Microsoft's HybridCache
    /// does: a caller that may not run the factory, or may not write L1, must not share a flight that does) or
    /// starts one. The flight's work runs under its own token, cancelled only when every waiter has given up, so one
    /// caller's cancellation never fails the others.
    /// </summary>
    private async ValueTask<T> JoinFlightAsync<TState, T>(
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
                    var unshared = await LoadAsync(key, state, factory, options, tags, tagsFromValue, flags, cancellationToken).ConfigureAwait(false);
                    CountOutcome(key, unshared.FromFactory);
                    return unshared.Value;
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
                var created = new Flight<T>(cancellationToken.CanBeCanceled);
                created.TryJoin();
                if (_flights.TryAdd(flightKey, created))
                {
                    flight = created;
                    leader = true;
                }
            }
        }

        (T Value, bool FromFactory) result;
        if (leader && !cancellationToken.CanBeCanceled)
        {
            // A leader that cannot give up does the work itself, inline: no separate task, no thread-pool hop
            // (followers get RunContinuationsAsynchronously), and no cancellation source, because a flight whose
            // leader never leaves is never abandoned. This is the common L1-miss path (an L2 hit).
            try
            {
                result = await LoadAsync(key, state, factory, options, tags, tagsFromValue, flags, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fail(flightKey, flight, e);
                throw;
            }

            Complete(flightKey, flight, result);
            CountOutcome(key, result.FromFactory);
            return result.Value;
        }

        if (leader)
        {
            // A leader that may give up starts the work independently of its own wait, so its cancellation cannot fail the others.
            _ = RunFlightAsync(flightKey, flight, state, factory, options, tags, tagsFromValue, flags);
        }

        try
        {
            result = await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            CountOutcome(key, result.FromFactory);
            return result.Value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            flight.Leave();
            throw;
        }
    }

    /// <summary>Runs a flight's load apart from its leader's wait (a leader that may give up) and completes it for every waiter.</summary>
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
            Complete(flightKey, flight, await LoadAsync(flightKey.Key, state, factory, options, tags, tagsFromValue, flags, flight.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(flightKey, flight, e);
        }
    }

    /// <summary>Leaves the map before completing: L1 already holds the value, so later callers hit it instead of a finished flight.</summary>
    private void Complete<T>(FlightKey flightKey, Flight<T> flight, (T Value, bool FromFactory) result)
    {
        _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, flight));
        flight.Completion.TrySetResult(result);
    }

    private void Fail<T>(FlightKey flightKey, Flight<T> flight, Exception e)
    {
        _flights.TryRemove(new KeyValuePair<FlightKey, Flight>(flightKey, flight));
        if (e is OperationCanceledException canceled)
        {
            flight.Completion.TrySetCanceled(canceled.CancellationToken);
        }
        else
        {
            flight.Completion.TrySetException(e);
        }
    }

    /// <summary>Flights are shared per key and flags.</summary>
    private readonly record struct FlightKey(string Key, HybridCacheEntryFlags Flags);

    /// <summary>One in-progress load of a key, shared by every caller that missed meanwhile.</summary>
    private abstract class Flight(bool cancellable)
    {
        private readonly Lock _gate = new();

        // Only a flight whose leader may give up can be abandoned by all its waiters, so only it needs a source.
        private readonly CancellationTokenSource? _cancellation = cancellable ? new() : null;
        private int _waiters;
        private bool _abandoned;

        /// <summary>The token the load runs under: cancelled when every waiter has given up.</summary>
        public CancellationToken Token => _cancellation?.Token ?? CancellationToken.None;

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
            _cancellation?.Cancel();
        }
    }

    private sealed class Flight<T>(bool cancellable) : Flight(cancellable)
    {
        public TaskCompletionSource<(T Value, bool FromFactory)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
