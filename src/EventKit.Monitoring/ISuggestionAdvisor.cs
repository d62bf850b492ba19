namespace EventKit.Monitoring;

/// <summary>This node's optimisation suggestions, gathered from every <see cref="ISuggestionSource"/> on a schedule (<see cref="SuggestionsOptions.Interval"/>) or on demand.</summary>
public interface ISuggestionAdvisor
{
    /// <summary>When the sources were last asked, or <see langword="null"/> before the first run.</summary>
    DateTimeOffset? LastRun { get; }

    /// <summary>The current suggestions, most severe first.</summary>
    /// <returns>The suggestions.</returns>
    IReadOnlyList<Suggestion> GetSuggestions();

    /// <summary>Asks every source now (a call while a run is in progress waits for it and runs once more).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The suggestions after the run.</returns>
    Task<IReadOnlyList<Suggestion>> RefreshAsync(CancellationToken cancellationToken = default);
}
