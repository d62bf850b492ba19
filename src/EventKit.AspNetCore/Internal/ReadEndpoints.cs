using System.Globalization;
using EventKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal static class ReadEndpoints
{
    private const int MaxIds = 1000;

    public static async Task<IResult> GetParticipantAsync(long id, IParticipantDirectory participants, IAttendanceReader attendance, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        var participantTask = participants.GetAsync(id, cancellationToken).AsTask();
        var summariesTask = attendance.GetSummariesAsync([id], cancellationToken);
        await Task.WhenAll(participantTask, summariesTask).ConfigureAwait(false);
        var participant = await participantTask.ConfigureAwait(false);

        // Nodes of several events may share a database: another event's participant does not exist here.
        if (participant is null || participant.EventId != options.Value.EventId)
        {
            return Problems.NotFound("participant_not_found", $"Participant {id} does not exist.");
        }

        var summaries = await summariesTask.ConfigureAwait(false);
        return TypedResults.Json(ToResponse(participant, summaries.Count > 0 ? summaries[0] : null), ApiJsonContext.Default.ParticipantResponse);
    }

    public static async Task<IResult> GetManyAsync(string? ids, IParticipantDirectory participants, IAttendanceReader attendance, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        if (!TryParseIds(ids, out var parsed, out var error))
        {
            return Problems.InvalidField("ids", error);
        }

        // Two set-based queries, run side by side: participants (= ANY) and their summaries (one GROUP BY).
        var participantsTask = participants.GetManyAsync(parsed, cancellationToken);
        var summariesTask = attendance.GetSummariesAsync(parsed, cancellationToken);
        await Task.WhenAll(participantsTask, summariesTask).ConfigureAwait(false);
        var summaries = new Dictionary<long, AttendanceSummary>();
        foreach (var summary in await summariesTask.ConfigureAwait(false))
        {
            summaries[summary.ParticipantId] = summary;
        }

        var eventId = options.Value.EventId;
        var result = new List<ParticipantResponse>();
        foreach (var participant in await participantsTask.ConfigureAwait(false))
        {
            // Another event's participants are left out, like unknown ids.
            if (participant.EventId == eventId)
            {
                result.Add(ToResponse(participant, summaries.GetValueOrDefault(participant.Id)));
            }
        }

        return TypedResults.Json(result.ToArray(), ApiJsonContext.Default.ParticipantResponseArray);
    }

    public static async Task<IResult> SearchAsync(string? q, int? limit, string? after, IParticipantSearch search, IAttendanceReader attendance, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 200)
        {
            return Problems.InvalidField("q", "q must be 1 to 200 characters.");
        }

        if (TextRules.Problem("q", q) is { } qProblem)
        {
            return Problems.InvalidField("q", qProblem);
        }

        var pageSize = limit ?? 20;
        if (pageSize is < 1 or > AttendanceQuery.MaxLimit)
        {
            return Problems.InvalidField("limit", $"limit must be between 1 and {AttendanceQuery.MaxLimit}.");
        }

        try
        {
            var page = await search.SearchAsync(options.Value.EventId, q, pageSize, after, cancellationToken).ConfigureAwait(false);

            // The page's attendance summaries in one set-based query (= ANY), like GET /participants?ids=.
            var ids = new long[page.Items.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = page.Items[i].Id;
            }

            var summaries = new Dictionary<long, AttendanceSummary>(ids.Length);
            foreach (var summary in ids.Length == 0 ? [] : await attendance.GetSummariesAsync(ids, cancellationToken).ConfigureAwait(false))
            {
                summaries[summary.ParticipantId] = summary;
            }

            var items = new ParticipantResponse[page.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = ToResponse(page.Items[i], summaries.GetValueOrDefault(page.Items[i].Id));
            }

            return TypedResults.Json(new ParticipantPageResponse(items, page.NextCursor), ApiJsonContext.Default.ParticipantPageResponse);
        }
        catch (InvalidCursorException)
        {
            // q and limit are checked above: the cursor is what the store refused.
            return Problems.InvalidField("after", "after is not a cursor this API issued.");
        }
    }

    public static async Task<IResult> GetAttendanceAsync(long? participantId, long? gateId, DateTimeOffset? since, int? limit, string? after, IAttendanceReader attendance, IParticipantDirectory participants, IGateDirectory gates, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? AttendanceQuery.DefaultLimit;
        if (pageSize is < 1 or > AttendanceQuery.MaxLimit)
        {
            return Problems.InvalidField("limit", $"limit must be between 1 and {AttendanceQuery.MaxLimit}.");
        }

        // A filter naming another event's participant or gate is a 404, as for their own reads.
        var eventId = options.Value.EventId;
        if (participantId is { } pid && (pid <= 0 || await participants.GetAsync(pid, cancellationToken).ConfigureAwait(false) is not { } p || p.EventId != eventId))
        {
            return Problems.NotFound("participant_not_found", $"Participant {pid} does not exist.");
        }

        if (gateId is { } gid && (gid <= 0 || await gates.GetAsync(gid, cancellationToken).ConfigureAwait(false) is not { } g || g.EventId != eventId))
        {
            return Problems.NotFound("unknown_gate", $"Gate {gid} does not exist.");
        }

        try
        {
            var page = await attendance.QueryAsync(new AttendanceQuery { ParticipantId = participantId, GateId = gateId, Since = since, Limit = pageSize, After = after }, cancellationToken).ConfigureAwait(false);
            var items = new List<AttendanceRecordResponse>(page.Items.Count);
            foreach (var r in page.Items)
            {
                // Unfiltered pages of a database shared by several events hold their records too: this event's only
                // (such a page may hold fewer than limit items; its cursor still continues after the last row read).
                if (r.EventId == eventId)
                {
                    items.Add(new AttendanceRecordResponse(r.Id, r.ParticipantId, r.GateId, WireNames<CheckInMethod>.Of(r.Method), WireNames<AttendanceDirection>.Of(r.Direction), r.OccurredAt, WireNames<CredentialKind>.Of(r.CredentialKind)));
                }
            }

            return TypedResults.Json(new AttendancePageResponse(items, page.NextCursor), ApiJsonContext.Default.AttendancePageResponse);
        }
        catch (InvalidCursorException)
        {
            return Problems.InvalidField("after", "after is not a cursor this API issued.");
        }
    }

    /// <summary>The event's admissions over the last 24 hours and its gates (<c>stats:overall</c>, with <c>active_gates</c>), at most one minute old with a cache.</summary>
    public static async Task<IResult> GetOverallStatsAsync(IAttendanceReader attendance, IGateDirectory gates, TimeProvider time, IServiceProvider services, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        var eventId = options.Value.EventId;
        var result = services.GetKeyedService<HybridCache>(EventKitServiceKeys.Cache) is { } cache
            ? await CachedStats.OverallAsync(cache, attendance, gates, time, eventId, cancellationToken).ConfigureAwait(false)
            : await CachedStats.LoadOverallAsync(attendance, gates, time, eventId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(result, ApiJsonContext.Default.OverallStatsResponse);
    }

    public static async Task<IResult> GetGateStatsAsync(DateTimeOffset? since, IAttendanceReader attendance, TimeProvider time, IServiceProvider services, IGateDirectory gates, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
    {
        var ours = new HashSet<long>();
        foreach (var gate in await gates.GetAllAsync(options.Value.EventId, cancellationToken).ConfigureAwait(false))
        {
            ours.Add(gate.Id);
        }

        // The default view (last 24 h) is what dashboards poll: it goes through the cache when the host has one.
        var result = since is null && services.GetKeyedService<HybridCache>(EventKitServiceKeys.Cache) is { } cache
            ? await CachedStats.GateStatsAsync(cache, attendance, time, cancellationToken).ConfigureAwait(false)
            : CachedStats.ToResponse(await attendance.CountPerGateSinceAsync(since ?? time.GetUtcNow().AddHours(-24), cancellationToken).ConfigureAwait(false));
        // Counts of other events' gates (a database shared by several events) are left out.
        return TypedResults.Json(Array.FindAll(result, count => ours.Contains(count.GateId)), ApiJsonContext.Default.GateCountResponseArray);
    }

    internal static ParticipantResponse ToResponse(Participant p, AttendanceSummary? summary)
        => new(p.Id, p.EventId, p.Name, p.Email, WireNames<ParticipantStatus>.Of(p.Status), p.ExternalRef, new AttendanceSummaryResponse(summary?.Count ?? 0, summary?.First, summary?.Last));

    private static bool TryParseIds(string? text, out long[] ids, out string error)
    {
        ids = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "ids is required: a comma-separated list of participant ids.";
            return false;
        }

        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > MaxIds)
        {
            error = $"ids may list at most {MaxIds} ids.";
            return false;
        }

        var set = new HashSet<long>(parts.Length);
        foreach (var part in parts)
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                error = "ids must be positive integers separated by commas.";
                return false;
            }

            set.Add(id);
        }

        ids = [.. set];
        error = "";
        return true;
    }
}
