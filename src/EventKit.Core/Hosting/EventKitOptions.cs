namespace EventKit;

/// <summary>Options every EventKit package reads. Configure with <c>services.AddEventKit(o =&gt; ...)</c>.</summary>
public sealed class EventKitOptions
{
    /// <summary>The configuration section the sample host binds: <c>EventKit</c>.</summary>
    public const string SectionName = "EventKit";

    /// <summary>The event this node serves.</summary>
    /// <remarks>Default 1. Must be positive.</remarks>
    public long EventId { get; set; } = 1;

    /// <summary>This node's name in logs, metrics, the backplane and leases.</summary>
    /// <remarks>Default <c>{machine name}-{process id}</c>. 1 to 100 characters of letters, digits, <c>-</c>, <c>_</c>, <c>.</c>.</remarks>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>A second admission of the same participant at the same gate inside this window is a duplicate, not a new record.</summary>
    /// <remarks>Default 60 s. 0 (no anti-passback) to 24 h.</remarks>
    public TimeSpan ReEntryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a check-in's answer is remembered for replays of its request id.</summary>
    /// <remarks>Default 24 h. 1 min to 7 days.</remarks>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How many claims and remembered answers this node keeps in memory (its own claims without Redis, or the fallback
    /// while Redis is away). Past it, expired entries go first, then finished requests' answers (earliest expiry first),
    /// whose ids are kept compactly so that a replay of one asks PostgreSQL. Passage claims are evicted only when answers
    /// cannot free enough, and PostgreSQL then decides admissions for one re-entry window, so an evicted claim is never a
    /// missed duplicate.
    /// </summary>
    /// <remarks>Default 1,000,000 (about 200 MB); between 1,000 and 100,000,000.</remarks>
    public int ClaimsCapacity { get; set; } = 1_000_000;

    /// <summary>How far in the past a check-in's <c>occurredAt</c> may lie (offline scanners upload later).</summary>
    /// <remarks>Default 24 h. 0 to 30 days.</remarks>
    public TimeSpan MaxBackdate { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future a check-in's <c>occurredAt</c> may lie (scanner clock skew).</summary>
    /// <remarks>Default 5 min. 0 to 1 h.</remarks>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old this node's copy of the event configuration (<c>GET/PUT /api/v1/event</c>: opening hours, re-entry window)
    /// may get before a check-in refreshes it in the background. A change saved on this node applies at once; on other
    /// nodes within this interval (plus the cache's invalidation, when caching is added).
    /// </summary>
    /// <remarks>Default 2 s. 100 ms to 10 min. Each refresh is one cache read (one primary-key read without caching).</remarks>
    public TimeSpan EventRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Credentials at rest: the pepper of credential hashes and the minimum token strength (<c>EventKit:Security</c>).</summary>
    /// <remarks>See <see cref="EventKitSecurityOptions"/> for each setting's default.</remarks>
    public EventKitSecurityOptions Security { get; set; } = new();
}
