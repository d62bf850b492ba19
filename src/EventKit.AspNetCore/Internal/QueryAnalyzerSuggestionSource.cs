using System.Globalization;
using EventKit.Monitoring;
using EventKit.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// The <c>query_analyzer</c> suggestion source: EventKit.Storage's <see cref="QueryAnalyzer.ReviewAsync"/> (one node at a
/// time, under an advisory lock) with the monitor's runtime figures for the query each piece of advice concerns. Finds
/// nothing on a host without EventKit.Storage.
/// </summary>
internal sealed class QueryAnalyzerSuggestionSource(IServiceProvider services) : ISuggestionSource
{
    public const string SourceName = "query_analyzer";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public string Name => SourceName;

    public async ValueTask<IReadOnlyList<SuggestionFinding>?> FindAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<QueryAnalyzer>() is not { } analyzer)
        {
            return [];
        }

        if (await analyzer.ReviewAsync(cancellationToken).ConfigureAwait(false) is not { } review)
        {
            return null;   // Another node is reviewing now; the scheduler retries soon.
        }

        var monitor = services.GetService<IMetricsMonitor>();
        var findings = new List<SuggestionFinding>(review.Advice.Count);
        foreach (var advice in review.Advice)
        {
            var evidence = advice.Evidence;
            if (advice.QueryName is { } query && monitor?.GetStatistics("db.client.operation.duration", new Dictionary<string, string>(StringComparer.Ordinal) { ["db.query.name"] = query }, Window) is { Total: > 0 } stats)
            {
                // How hot the query is on this node: a sequential scan on a query run 50 times a second matters more.
                evidence += string.Create(CultureInfo.InvariantCulture, $"\nAt run time (last 15 min on this node): {stats.Total:N0} runs ({stats.RatePerSecond:F2}/s), p95 {(stats.P95 ?? 0) * 1000:F1} ms.");
            }

            findings.Add(new SuggestionFinding(advice.Id, advice.Title, evidence, advice.Action, advice.EstimatedEffect, Severity(advice.Severity)));
        }

        return findings;
    }

    private static AlertSeverity Severity(StorageAdviceSeverity severity) => severity switch
    {
        StorageAdviceSeverity.Critical => AlertSeverity.Critical,
        StorageAdviceSeverity.Warning => AlertSeverity.Warning,
        _ => AlertSeverity.Info,
    };
}
