using System.Collections.Concurrent;

namespace EventKit.Internal;

/// <summary>
/// One call per key at a time (shared source, compiled into each package): callers that arrive while a call for the
/// same key runs share its result instead of starting their own, so a burst for one key costs one round trip.
/// </summary>
/// <remarks>
/// The shared call runs apart from every caller's token (a caller giving up never fails the others); each caller's
/// own wait ends at its token. Results are not kept: the key leaves the map as soon as its call completes.
/// </remarks>
/// <typeparam name="TKey">The key calls are shared by.</typeparam>
/// <typeparam name="TValue">The result.</typeparam>
internal sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _running = new();

    /// <summary>Calls running now.</summary>
    public int Running => _running.Count;

    /// <summary>Joins the running call for <paramref name="key"/>, or starts <paramref name="load"/> for it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="state">Passed to <paramref name="load"/>.</param>
    /// <param name="load">The call; runs without a cancellation token (bound it with its own timeouts).</param>
    /// <param name="cancellationToken">Ends this caller's wait only.</param>
    public Task<TValue> RunAsync<TState>(TKey key, TState state, Func<TKey, TState, Task<TValue>> load, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_running.TryGetValue(key, out var running))
            {
                return cancellationToken.CanBeCanceled ? running.WaitAsync(cancellationToken) : running;
            }

            var mine = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running.TryAdd(key, mine.Task))
            {
                _ = CompleteAsync(key, state, load, mine);
                return cancellationToken.CanBeCanceled ? mine.Task.WaitAsync(cancellationToken) : mine.Task;
            }
        }
    }

    private async Task CompleteAsync<TState>(TKey key, TState state, Func<TKey, TState, Task<TValue>> load, TaskCompletionSource<TValue> completion)
    {
        try
        {
            completion.SetResult(await load(key, state).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            completion.SetException(e);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, completion.Task));
        }
    }
}
