using Microsoft.Extensions.Logging;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Asks every <see cref="ISuggestionSource"/> and keeps what they found, per source: a suggestion keeps its first-seen
/// time while each run of its source finds it again, and goes when a run of its source no longer does. A source that
/// throws or cannot look (returns <see langword="null"/>) keeps its earlier suggestions. Runs never overlap.
/// </summary>
internal sealed class SuggestionEngine(IEnumerable<ISuggestionSource> sources, TimeProvider time, ILogger<SuggestionEngine> logger) : ISuggestionAdvisor, IDisposable
{
    private readonly ISuggestionSource[] _sources = [.. sources];
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Suggestion>> _bySource = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastRun;

    public DateTimeOffset? LastRun
    {
        get
        {
            lock (_gate)
            {
                return _lastRun;
            }
        }
    }

    /// <summary>Whether a source could not look in the last run (the scheduler then retries sooner).</summary>
    public bool LastRunIncomplete { get; private set; }

    public IReadOnlyList<Suggestion> GetSuggestions()
    {
        var result = new List<Suggestion>();
        lock (_gate)
        {
            foreach (var suggestions in _bySource.Values)
            {
                result.AddRange(suggestions.Values);
            }
        }

        result.Sort(static (a, b) =>
        {
            var bySeverity = b.Severity.CompareTo(a.Severity);
            return bySeverity != 0 ? bySeverity : string.CompareOrdinal(a.Id, b.Id);
        });
        return result;
    }

    public async Task<IReadOnlyList<Suggestion>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var incomplete = false;
            foreach (var source in _sources)
            {
                IReadOnlyList<SuggestionFinding>? findings;
                try
                {
                    findings = await source.FindAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // One failing source (the database is down) must not hide the others' suggestions.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.SuggestionSourceFailed(logger, source.Name, e);
                    incomplete = true;
                    continue;
                }

                if (findings is null)
                {
                    incomplete = true;
                    continue;
                }

                Merge(source.Name, findings, time.GetUtcNow());
            }

            lock (_gate)
            {
                _lastRun = time.GetUtcNow();
            }

            LastRunIncomplete = incomplete;
            return GetSuggestions();
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();

    private void Merge(string source, IReadOnlyList<SuggestionFinding> findings, DateTimeOffset now)
    {
        lock (_gate)
        {
            _bySource.TryGetValue(source, out var before);
            var after = new Dictionary<string, Suggestion>(StringComparer.Ordinal);
            foreach (var f in findings)
            {
                var firstSeen = before is not null && before.TryGetValue(f.Id, out var earlier) ? earlier.FirstSeen : now;
                after[f.Id] = new Suggestion(f.Id, f.Title, f.Evidence, f.Action, f.EstimatedEffect, f.Severity, source, firstSeen, now);
            }

            _bySource[source] = after;
        }
    }
}
