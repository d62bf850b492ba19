namespace EventKit.AspNetCore;

/// <summary>Options of the HTTP API mapped by <c>app.MapEventKitApi()</c>.</summary>
public sealed class EventKitApiOptions
{
    /// <summary>The key that management, read and operations endpoints require in the <c>X-Admin-Key</c> header.</summary>
    /// <remarks>Default <see langword="null"/>. Required unless <see cref="AdminKeys"/> has a key or <see cref="AllowAnonymousAdmin"/> is set; at least 16 characters.
    /// Its actor name in the audit log is <c>admin</c>.</remarks>
    public string? AdminKey { get; set; }

    /// <summary>More admin keys, each with a name (<c>EventKit:Api:AdminKeys:{name}</c>): the name is the actor in the audit log,
    /// and removing an entry retires that key when configuration reloads, without a restart.</summary>
    /// <remarks>Default empty. Names are 1 to 50 letters, digits, <c>-</c>, <c>_</c>, <c>.</c> (not <c>admin</c> or <c>anonymous</c>);
    /// keys at least 16 characters; an empty key retires its name. <see cref="AdminKey"/>, if set, is the key named <c>admin</c>.</remarks>
    public Dictionary<string, string> AdminKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Lets admin endpoints run without a key. For local development only.</summary>
    /// <remarks>Default <see langword="false"/>. Refused at start outside the Development environment; even then only
    /// loopback callers (127.0.0.1, ::1) are served without a key.</remarks>
    public bool AllowAnonymousAdmin { get; set; }

    /// <summary>Whether <c>POST /api/v1/checkins</c> requires a scanner key (<c>X-Scanner-Key</c>, issued by <c>POST /api/v1/scanners</c>).</summary>
    /// <remarks>Default <see langword="true"/>. Turning it off logs a warning at start, and outside the Development
    /// environment also needs <see cref="ConfirmUnauthenticatedCheckIns"/>.</remarks>
    public bool RequireScannerKeys { get; set; } = true;

    /// <summary>Confirms that check-ins without scanner keys (<see cref="RequireScannerKeys"/> = false) are intended
    /// outside Development, for a scanner network no one else can reach.</summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool ConfirmUnauthenticatedCheckIns { get; set; }

    /// <summary>Failed key authentications (scanner, gateway, admin) one remote address may make per minute before it gets 429.</summary>
    /// <remarks>Default 30. 0 turns the limit off; otherwise 1 to 1,000,000.</remarks>
    public int FailedAuthenticationsPerMinute { get; set; } = 30;

    /// <summary>The largest check-in request body, in bytes; larger bodies get 413.</summary>
    /// <remarks>Default 16 KiB. 1 KiB to 1 MiB.</remarks>
    public int MaxCheckInBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// The largest body of a management request (gates, participant patches, scanners, gateways, the event settings),
    /// in bytes; larger bodies get 413. Separate from <see cref="MaxCheckInBodyBytes"/> so check-ins can stay small
    /// while the event settings (opening hours per gate kind) have room.
    /// </summary>
    /// <remarks>Default 64 KiB. 1 KiB to 4 MiB. Participant imports have their own limit (<see cref="MaxImportBodyBytes"/>).</remarks>
    public int MaxManagementBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest participant import body, in bytes.</summary>
    /// <remarks>Default 16 MiB (10,000 participants with room to spare). 64 KiB to 256 MiB.</remarks>
    public int MaxImportBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most participants one import call may carry.</summary>
    /// <remarks>Default 10,000. 1 to 100,000.</remarks>
    public int MaxImportItems { get; set; } = 10_000;

    /// <summary>Sustained check-ins per second one scanner may send before getting 429 (one gate when scanner keys are off).</summary>
    /// <remarks>Default 1,000 (a physical gate manages a few per second; the headroom is for shared scanners and replays). 0 turns the limit off; otherwise 1 to 1,000,000.</remarks>
    public int GateRateLimitPerSecond { get; set; } = 1000;

    /// <summary>How many check-ins a gate may burst above its sustained rate.</summary>
    /// <remarks>Default 2,000. 1 to 10,000,000.</remarks>
    public int GateRateLimitBurst { get; set; } = 2000;

    /// <summary>How many gateway reports the presence engine processes at once.</summary>
    /// <remarks>Default 4. 1 to 256.</remarks>
    public int MaxConcurrentReports { get; set; } = 4;

    /// <summary>How many further gateway reports may wait; beyond that, reports get 429 (the gateway retries).</summary>
    /// <remarks>Default 256. 0 to 100,000.</remarks>
    public int MaxQueuedReports { get; set; } = 256;

    /// <summary>How many check-ins (<c>POST /api/v1/checkins</c> and <c>POST /api/v1/gates/{gateId}/checkins</c>, together)
    /// this node works on at once. Beyond that and <see cref="MaxQueuedCheckIns"/>, a check-in is answered 503 with
    /// <c>Retry-After</c> at once, before its body is read and before any database or Redis work.</summary>
    /// <remarks>Default <see langword="null"/>: the maximum pool size of EventKit's PostgreSQL data source (100 with the
    /// default pool), or 100 without EventKit.Storage. A check-in whose credential, gate or scanner key misses the cache
    /// holds a pooled connection for its lookup, and on a cold start under a surge nearly every one does: a bound at the
    /// pool size keeps them from waiting for the pool. Four times the pool was tried: at 256 connections it saves the
    /// queue's thread hop (38 % of the ceiling instead of 35 %), but a cold start at 10,000 connections then timed out
    /// pool waits (docs/performance.md). Raise it where caches are warm and connections outnumber the pool.
    /// 0 turns the limit off; otherwise 1 to 100,000.</remarks>
    public int? MaxConcurrentCheckIns { get; set; }

    /// <summary>How many further check-ins may wait (oldest first) for one of the <see cref="MaxConcurrentCheckIns"/> to finish.</summary>
    /// <remarks>Default <see langword="null"/>: twice <see cref="MaxConcurrentCheckIns"/> (200 with the default pool), so the
    /// few hundred scanner connections one node usually serves wait briefly instead of being refused. Keep it small: a queued
    /// check-in waits about one check-in's time per <see cref="MaxConcurrentCheckIns"/> ahead of it (at most about two
    /// check-in times with the default), and a scanner is better served by a quick 503 and a retry than by a long wait.
    /// 0 to 100,000.</remarks>
    public int? MaxQueuedCheckIns { get; set; }

    /// <summary>The <c>Retry-After</c> of a check-in refused because this node is at <see cref="MaxConcurrentCheckIns"/> with a full queue.</summary>
    /// <remarks>Default 1 s. 1 s to 60 s (sent in whole seconds).</remarks>
    public TimeSpan OverloadRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far a surge may raise the <c>Retry-After</c> of <c>overloaded</c> answers.</summary>
    /// <remarks>Default 10 s. While check-ins are shed, the <c>Retry-After</c> grows from <see cref="OverloadRetryAfter"/>
    /// with the ratio of arrivals to check-ins let in over the last second, so that waiting scanners come back about as
    /// fast as the node can decide them (a shed answer costs a node HTTP work too); it decays back to
    /// <see cref="OverloadRetryAfter"/> once nothing is shed. Set it equal to <see cref="OverloadRetryAfter"/> for a fixed
    /// value. 1 s to 60 s.</remarks>
    public TimeSpan MaxOverloadRetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
