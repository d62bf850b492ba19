using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal static class ReadEndpoints
{
    private const int MaxIds = 1000;

    public static async Task<IResult> GetParticipantAsync(long id, IParticipantDirectory participants, IAttendanceReader attendance, CancellationToken cancellationToken)
    {
        var participantTask = participants.GetAsync(id, cancellationToken).AsTask();
        var summariesTask = attendance.GetSummariesAsync([id], cancellationToken);
        await Task.WhenAll(participantTask, summariesTask).ConfigureAwait(false);
        var participant = await participantTask.ConfigureAwait(false);
        if (participant is null)
        {
            return Problems.NotFound("participant_not_found", $"Participant {id} does not exist.");
        }

        var summaries = await summariesTask.ConfigureAwait(false);
        return TypedResults.Json(ToResponse(participant, summaries.Count > 0 ? summaries[0] : null), ApiJsonContext.Default.ParticipantResponse);
    }

    public static async Task<IResult> GetManyAsync(string? ids, IParticipantDirectory participants, IAttendanceReader attendance, CancellationToken cancellationToken)
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

        var found = await participantsTask.ConfigureAwait(false);
        var result = new ParticipantResponse[found.Count];
        for (var i = 0; i < found.Count; i++)
        {
            result[i] = ToResponse(found[i], summaries.GetValueOrDefault(found[i].Id));
        }

        return TypedResults.Json(result, ApiJsonContext.Default.ParticipantResponseArray);
    }

    public static async Task<IResult> SearchAsync(string? q, int? limit, string? after, IParticipantSearch search, IOptions<EventKitOptions> options, CancellationToken cancellationToken)
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
            var items = new ParticipantResponse[page.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = ToResponse(page.Items[i], null);
            }

            return TypedResults.Json(new ParticipantPageResponse(items, page.NextCursor), ApiJsonContext.Default.ParticipantPageResponse);
        }
        catch (ArgumentException)
        {
            // q and limit are checked above: the cursor is what the store refused.
            return Problems.InvalidField("after", "after is not a cursor this API issued.");
        }
    }

    public static async Task<IResult> GetAttendanceAsync(long? participantId, long? gateId, DateTimeOffset? since, int? limit, string? after, IAttendanceReader attendance, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? AttendanceQuery.DefaultLimit;
        if (pageSize is < 1 or > AttendanceQuery.MaxLimit)
        {
            return Problems.InvalidField("limit", $"limit must be between 1 and {AttendanceQuery.MaxLimit}.");
        }

        try
        {
            var page = await attendance.QueryAsync(new AttendanceQuery { ParticipantId = participantId, GateId = gateId, Since = since, Limit = pageSize, After = after }, cancellationToken).ConfigureAwait(false);
            var items = new AttendanceRecordResponse[page.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                var r = page.Items[i];
                items[i] = new AttendanceRecordResponse(r.Id, r.ParticipantId, r.GateId, Names.Of(r.Method), Names.Of(r.Direction), r.OccurredAt, Names.Of(r.CredentialKind));
            }

            return TypedResults.Json(new AttendancePageResponse(items, page.NextCursor), ApiJsonContext.Default.AttendancePageResponse);
        }
        catch (ArgumentException)
        {
            return Problems.InvalidField("after", "after is not a cursor this API issued.");
        }
    }

    public static async Task<IResult> GetGateStatsAsync(DateTimeOffset? since, IAttendanceReader attendance, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken)
    {
        // The default view (last 24 h) is what dashboards poll: it goes through the cache when the host has one.
        var result = since is null && services.GetKeyedService<HybridCache>(EventKitServiceKeys.Cache) is { } cache
            ? await CachedStats.GateStatsAsync(cache, attendance, time, cancellationToken).ConfigureAwait(false)
            : CachedStats.ToResponse(await attendance.CountPerGateSinceAsync(since ?? time.GetUtcNow().AddHours(-24), cancellationToken).ConfigureAwait(false));
        return TypedResults.Json(result, ApiJsonContext.Default.GateCountResponseArray);
    }

    internal static ParticipantResponse ToResponse(Participant p, AttendanceSummary? summary)
        => new(p.Id, p.EventId, p.Name, p.Email, Names.Of(p.Status), p.ExternalRef, new AttendanceSummaryResponse(summary?.Count ?? 0, summary?.First, summary?.Last));

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

/// <summary>The lowercase wire names of EventKit's enums.</summary>
internal static class Names
{
    public static string Of(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Active => "active",
        ParticipantStatus.Suspended => "suspended",
        _ => "revoked",
    };

    public static string Of(CheckInMethod method) => method switch
    {
        CheckInMethod.Qr => "qr",
        CheckInMethod.Nfc => "nfc",
        CheckInMethod.Ble => "ble",
        _ => "manual",
    };

    public static string Of(AttendanceDirection direction) => direction == AttendanceDirection.In ? "in" : "out";

    public static string Of(GateKind kind) => kind switch
    {
        GateKind.Entrance => "entrance",
        GateKind.Exit => "exit",
        _ => "session",
    };

    public static string Of(CredentialKind kind) => kind switch
    {
        CredentialKind.Token => "token",
        CredentialKind.BleRotatingEid => "ble_eid",
        CredentialKind.BleStaticBeacon => "ble_static",
        _ => "staff",
    };

    public static bool TryParse(string? text, out ParticipantStatus status)
    {
        (var ok, status) = text switch
        {
            "active" => (true, ParticipantStatus.Active),
            "suspended" => (true, ParticipantStatus.Suspended),
            "revoked" => (true, ParticipantStatus.Revoked),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParse(string? text, out GateKind kind)
    {
        (var ok, kind) = text switch
        {
            "entrance" => (true, GateKind.Entrance),
            "exit" => (true, GateKind.Exit),
            "session" => (true, GateKind.Session),
            _ => (false, default),
        };
        return ok;
    }
}
