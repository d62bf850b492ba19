using System.Globalization;

namespace EventKit.Monitoring.Internal;

/// <summary>The built-in <c>analyze_queries</c> action: asks every suggestion source now and reports what they found.</summary>
internal sealed class AnalyzeQueriesAction(SuggestionEngine engine) : IRecoveryAction
{
    public string Name => RecoveryActionNames.AnalyzeQueries;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        var suggestions = await engine.RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (engine.LastRunIncomplete && suggestions.Count == 0)
        {
            return new RecoveryResult(false, "A suggestion source could not look (another node is analysing, or the database did not answer); the scheduled run retries.");
        }

        var fresh = 0;
        foreach (var s in suggestions)
        {
            if (s.FirstSeen == s.LastSeen)
            {
                fresh++;
            }
        }

        var titles = string.Join("; ", suggestions.Take(3).Select(s => s.Title));
        return new RecoveryResult(true, string.Create(CultureInfo.InvariantCulture, $"Analysed: {suggestions.Count} suggestions ({fresh} new){(titles.Length > 0 ? ": " + titles : "")}. See GET /eventkit/suggestions."));
    }
}
