namespace EventKit.Monitoring;

/// <summary>An optimisation suggestion as <see cref="ISuggestionAdvisor"/> lists it: a finding with its source and when it was first and last seen.</summary>
/// <param name="Id">Stable while the problem lasts.</param>
/// <param name="Title">One line for people.</param>
/// <param name="Evidence">What was measured.</param>
/// <param name="Action">What to do: SQL, or an option name with its value.</param>
/// <param name="EstimatedEffect">What it should change.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Source">The <see cref="ISuggestionSource.Name"/> that found it (<c>runtime</c>, <c>query_analyzer</c>).</param>
/// <param name="FirstSeen">The first run that found it (since then without a gap).</param>
/// <param name="LastSeen">The latest run that found it.</param>
public sealed record Suggestion(
    string Id,
    string Title,
    string Evidence,
    string Action,
    string EstimatedEffect,
    AlertSeverity Severity,
    string Source,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);
