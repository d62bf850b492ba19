using System.Text.RegularExpressions;

namespace EventKit.Storage.Internal;

/// <summary>The indexes EventKit's migrations create, with the statement that recreates each: a missing one is advice with exact SQL, an unused one is never advice to drop it.</summary>
internal static partial class ExpectedIndexes
{
    private static readonly Lazy<HashSet<string>> MigrationIndexes = new(ReadMigrationIndexes);

    /// <summary>Whether an index is EventKit's own: listed here, or created by any embedded migration (later ones included).</summary>
    public static bool IsOwn(string index) => All.ContainsKey(index) || MigrationIndexes.Value.Contains(index);

    /// <summary>Index name → (table, statement, the critical query it serves or <see langword="null"/>).</summary>
    public static readonly IReadOnlyDictionary<string, (string Table, string Sql, string? Query)> All = new Dictionary<string, (string, string, string?)>(StringComparer.Ordinal)
    {
        // CREATE INDEX CONCURRENTLY is not supported on a partitioned table: these lock writes while they build.
        ["attendance_records_participant_idx"] = ("attendance_records", "CREATE INDEX IF NOT EXISTS attendance_records_participant_idx ON attendance_records (participant_id, occurred_at DESC);", QueryNames.AttendancePage),
        ["attendance_records_gate_idx"] = ("attendance_records", "CREATE INDEX IF NOT EXISTS attendance_records_gate_idx ON attendance_records (gate_id, occurred_at DESC);", QueryNames.AttendanceCountAtGate),
        ["attendance_records_method_idx"] = ("attendance_records", "CREATE INDEX IF NOT EXISTS attendance_records_method_idx ON attendance_records (method, occurred_at DESC);", null),
        ["attendance_records_event_gate_idx"] = ("attendance_records", "CREATE INDEX IF NOT EXISTS attendance_records_event_gate_idx ON attendance_records (event_id, gate_id, occurred_at DESC, method);", QueryNames.AttendanceCountPerGate),
        ["attendance_records_request_idx"] = ("attendance_records", "CREATE INDEX IF NOT EXISTS attendance_records_request_idx ON attendance_records (request_id) WHERE request_id IS NOT NULL;", QueryNames.AttendanceByRequest),
        ["participants_active_token_idx"] = ("participants", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS participants_active_token_idx ON participants (token_hash) WHERE status = 'active';", QueryNames.ParticipantByCredential),
        ["participants_inactive_token_idx"] = ("participants", "CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_inactive_token_idx ON participants (token_hash) WHERE status <> 'active';", null),
        ["participants_event_idx"] = ("participants", "CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_event_idx ON participants (event_id, id);", null),
        ["participants_search_idx"] = ("participants", "CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_search_idx ON participants USING gin (to_tsvector('simple', name || ' ' || coalesce(email, '')));", QueryNames.ParticipantSearch),
        ["gates_event_id_idx"] = ("gates", "CREATE INDEX CONCURRENTLY IF NOT EXISTS gates_event_id_idx ON gates (event_id);", QueryNames.GatesByEvent),
    };

    private static HashSet<string> ReadMigrationIndexes()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var assembly = typeof(ExpectedIndexes).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            foreach (Match match in CreateIndex().Matches(reader.ReadToEnd()))
            {
                names.Add(match.Groups[1].Value);
            }
        }

        return names;
    }

    [GeneratedRegex(@"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\s+ON", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();
}
