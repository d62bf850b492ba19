namespace EventKit.Monitoring;

/// <summary>One instrument + tag combination over the last 1, 5 and 15 minutes.</summary>
/// <param name="Instrument">The instrument's name (<c>http.server.request.duration</c>, <c>eventkit.checkin.outcomes</c>, …).</param>
/// <param name="Unit">Its UCUM unit (<c>s</c>, <c>{request}</c>, …).</param>
/// <param name="Kind"><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</param>
/// <param name="Tags">The key tags that tell this series apart (route and status class, cache tier, query name…).</param>
/// <param name="OneMinute">The last minute.</param>
/// <param name="FiveMinutes">The last five minutes.</param>
/// <param name="FifteenMinutes">The last fifteen minutes.</param>
public sealed record MetricSeriesSnapshot(
    string Instrument,
    string Unit,
    string Kind,
    IReadOnlyDictionary<string, string> Tags,
    WindowStatistics OneMinute,
    WindowStatistics FiveMinutes,
    WindowStatistics FifteenMinutes);
