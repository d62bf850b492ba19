using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventKit.Testing;

/// <summary>
/// Records the spans (<see cref="Activity"/>) that the named activity sources stop, all of them or only those of one
/// trace, as an OpenTelemetry exporter would receive them. Enumerate it (or count it) after the work under test;
/// disposing stops listening.
/// </summary>
public sealed class SpanRecorder : IReadOnlyCollection<Activity>, IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    /// <summary>Starts listening.</summary>
    /// <param name="trace">Only spans of this trace, or every span when <see langword="null"/> (other tests running in parallel add theirs).</param>
    /// <param name="sources">The activity source names to listen to.</param>
    public SpanRecorder(ActivityTraceId? trace, params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Array.IndexOf(sources, source.Name) >= 0,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (trace is not { } only || activity.TraceId == only)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <inheritdoc/>
    public int Count => _spans.Count;

    /// <inheritdoc/>
    public IEnumerator<Activity> GetEnumerator() => _spans.GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();
}
