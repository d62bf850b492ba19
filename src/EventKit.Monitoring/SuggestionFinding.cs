namespace EventKit.Monitoring;

/// <summary>What an <see cref="ISuggestionSource"/> finds now: one change worth making, with the evidence for it.</summary>
/// <param name="Id">Stable while the problem lasts (<c>missing_index:participants_active_token_idx</c>, <c>cache_hit_ratio_low</c>); the same id in the next run is the same suggestion.</param>
/// <param name="Title">One line for people.</param>
/// <param name="Evidence">What was measured: the plan that shows it, counts, rates, sizes.</param>
/// <param name="Action">What to do: SQL, or an option name with its value (<c>EventKit:Storage:MaxPoolSize = 150</c>).</param>
/// <param name="EstimatedEffect">What it should change, with the numbers it is based on.</param>
/// <param name="Severity">How urgent it is.</param>
public sealed record SuggestionFinding(string Id, string Title, string Evidence, string Action, string EstimatedEffect, AlertSeverity Severity);
