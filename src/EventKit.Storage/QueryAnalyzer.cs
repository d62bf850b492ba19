using System.Globalization;
using System.Text.Json;
using EventKit.Storage.Internal;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.Storage;

/// <summary>
/// Explains queries with <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c> inside a rolled-back
/// transaction under a <c>statement_timeout</c>, reads slow statements from
/// <c>pg_stat_statements</c>, and checks the catalog for unused or duplicate indexes, low index use,
/// cache-hit rates and vacuum state. Resolve it from the service provider after <c>AddPostgresStorage()</c>.
/// </summary>
public sealed class QueryAnalyzer
{
    /// <summary>The seeds' four critical queries, as EventKit runs them.</summary>
    public static IReadOnlyList<string> CriticalQueries { get; } =
        [QueryNames.AttendancePage, QueryNames.AttendanceCountAtGate, QueryNames.ParticipantByCredential, QueryNames.AttendanceCountPerGate];

    /// <summary>The advisory lock that keeps <see cref="ReviewAsync"/> to one node at a time: "EKREVIEW" as ASCII.</summary>
    internal const long ReviewLockKey = 0x454B_5245_5649_4557;

    private readonly StorageDataSources _sources;
    private readonly QueryAnalyzerOptions _options;
    private readonly StorageMaintenanceOptions _maintenance;
    private readonly TimeProvider _time;

    internal QueryAnalyzer(StorageDataSources sources, IOptions<PostgresStorageOptions> options, TimeProvider? time = null)
    {
        _sources = sources;
        _options = options.Value.Analyzer;
        _maintenance = options.Value.Maintenance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Explains the critical queries, checks the catalog and the partitions, and turns what it finds into advice (missing
    /// or unused indexes with the plan that shows it, sequential scans, dead rows, the buffer cache, a missing partition),
    /// each with the SQL to run. One node at a time: under an advisory lock, like partition maintenance.
    /// </summary>
    /// <param name="cancellationToken">Cancels the review.</param>
    /// <returns>The review, or <see langword="null"/> when another node is reviewing right now (try again later).</returns>
    public async Task<StorageReview?> ReviewAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ReviewLockKey})", connection))
            {
                if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return null;
                }
            }

            try
            {
                var plans = await AnalyzeCriticalQueriesAsync(cancellationToken).ConfigureAwait(false);
                var catalog = await CheckCatalogAsync(cancellationToken).ConfigureAwait(false);

                using var tablesCommand = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", connection);
                var tables = new HashSet<string>(await Mapping.ReadAllAsync(tablesCommand, static r => r.GetString(0), cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
                tables.Add(PartitionMaintainer.Parent);   // Partitioned parents are not in pg_tables' relkind 'r' on every version.
                using var exists = new NpgsqlCommand($"SELECT to_regclass('{PartitionMaintainer.Parent}') IS NOT NULL", connection);
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    tables.Remove(PartitionMaintainer.Parent);
                }

                using var indexesCommand = new NpgsqlCommand("SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()", connection);
                var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (index, table) in await Mapping.ReadAllAsync(indexesCommand, static r => (r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false))
                {
                    indexes[index] = table;
                }

                var partitions = tables.Contains(PartitionMaintainer.Parent)
                    ? await PartitionMaintainer.ReadPartitionsAsync(connection, cancellationToken).ConfigureAwait(false)
                    : [];
                using var buffers = new NpgsqlCommand("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'", connection);
                var sharedBuffers = (long)(await buffers.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                using var reads = new NpgsqlCommand(
                    "SELECT (SELECT coalesce(sum(heap_blks_read), 0) FROM pg_statio_user_tables WHERE schemaname = current_schema())::bigint + " +
                    "(SELECT coalesce(sum(idx_blks_read), 0) FROM pg_statio_user_indexes WHERE schemaname = current_schema())::bigint", connection);
                var blocksRead = (long)(await reads.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

                var now = _time.GetUtcNow();
                var advice = StorageAdvisor.Advise(new StorageFacts(now, plans, catalog, tables, indexes, partitions, _maintenance.PartitionMonths, _maintenance.Enabled, sharedBuffers, blocksRead));
                return new StorageReview(now, plans, catalog, advice);
            }
            finally
            {
                using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({ReviewLockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Explains the four critical queries with representative parameters: the newest record's participant (its last 30 days) and gate (its last hour), an existing credential, per-gate counts of the last hour.</summary>
    public async Task<IReadOnlyList<QueryPlanReport>> AnalyzeCriticalQueriesAsync(CancellationToken cancellationToken = default)
    {
        long participantId = 1, gateId = 1;
        var since = _time.GetUtcNow().UtcDateTime.AddHours(-1);
        var hash = new byte[CredentialHash.Length];
        using (var sample = _sources.Write.CreateCommand(
            "SELECT (SELECT participant_id FROM attendance_records ORDER BY occurred_at DESC LIMIT 1), " +
            "(SELECT gate_id FROM attendance_records ORDER BY occurred_at DESC LIMIT 1), " +
            "(SELECT max(occurred_at) FROM attendance_records), (SELECT token_hash FROM participants WHERE status = 'active' LIMIT 1)"))
        {
            var reader = await sample.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                participantId = reader.IsDBNull(0) ? participantId : reader.GetInt64(0);
                gateId = reader.IsDBNull(1) ? gateId : reader.GetInt64(1);
                since = reader.IsDBNull(2) ? since : reader.GetDateTime(2).AddHours(-1);
                hash = reader.IsDBNull(3) ? hash : reader.GetFieldValue<byte[]>(3);
            }
        }

        return
        [
            await AnalyzeAsync(QueryNames.AttendancePage, PostgresAttendanceReader.PageSqlFor(byParticipant: true, byGate: false),
                [participantId, 0L, since.AddDays(-30), new DateTime(2999, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.AllBitsSet, 101], cancellationToken).ConfigureAwait(false),
            await AnalyzeAsync(QueryNames.AttendanceCountAtGate, PostgresAttendanceReader.CountAtGateSql, [gateId, since], cancellationToken).ConfigureAwait(false),
            await AnalyzeAsync(QueryNames.ParticipantByCredential, PostgresParticipantStore.FindByCredentialSql, [hash], cancellationToken).ConfigureAwait(false),
            await AnalyzeAsync(QueryNames.AttendanceCountPerGate, PostgresAttendanceReader.CountPerGateSql, [since], cancellationToken).ConfigureAwait(false),
        ];
    }

    /// <summary>Explains any query. It really runs (EXPLAIN ANALYZE) but inside a transaction that is rolled back.</summary>
    /// <param name="name">A name for the report.</param>
    /// <param name="sql">The query, with <c>$1</c>, <c>$2</c>, … placeholders. Never build it from user input.</param>
    /// <param name="parameters">The placeholder values.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    public async Task<QueryPlanReport> AnalyzeAsync(string name, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(parameters);

        string json;
        Dictionary<string, double> sizes;
        int partitions;
        var connection = await _sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var timeout = new NpgsqlCommand(
                    string.Create(CultureInfo.InvariantCulture, $"SET LOCAL statement_timeout = {(long)_options.StatementTimeout.TotalMilliseconds}"), connection, transaction))
                {
                    await timeout.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection, transaction))
                {
                    foreach (var value in parameters)
                    {
                        explain.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                    }

                    json = (string)(await explain.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            using var stats = new NpgsqlCommand(
                "SELECT c.relname, c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')", connection);
            sizes = [];
            foreach (var (relation, rows) in await Mapping.ReadAllAsync(stats, static r => (r.GetString(0), r.GetDouble(1)), cancellationToken).ConfigureAwait(false))
            {
                sizes[relation] = rows;
            }

            using var count = new NpgsqlCommand($"SELECT count(*)::int FROM pg_inherits WHERE inhparent = '{PartitionMaintainer.Parent}'::regclass", connection);
            partitions = (int)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return Interpret(name, json, sizes, partitions, _options.LargeRelationRows);
    }

    /// <summary>Statements with mean time at least <see cref="QueryAnalyzerOptions.SlowMeanTime"/> and at least <see cref="QueryAnalyzerOptions.SlowMinCalls"/> calls, slowest first. Empty when <c>pg_stat_statements</c> is not installed.</summary>
    public async Task<IReadOnlyList<SlowStatement>> GetSlowStatementsAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var probe = new NpgsqlCommand("SELECT to_regclass('pg_stat_statements') IS NOT NULL", connection))
            {
                if (!(bool)(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return [];
                }
            }

            using var command = new NpgsqlCommand(
                "SELECT query, calls, mean_exec_time, total_exec_time, rows, " +
                "CASE WHEN shared_blks_hit + shared_blks_read = 0 THEN 1 ELSE shared_blks_hit::float8 / (shared_blks_hit + shared_blks_read) END " +
                "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
                "AND calls >= $1 AND mean_exec_time >= $2 ORDER BY mean_exec_time DESC LIMIT 50", connection);
            command.Parameters.Add(Mapping.Param(_options.SlowMinCalls));
            command.Parameters.Add(Mapping.Param(_options.SlowMeanTime.TotalMilliseconds));
            return await Mapping.ReadAllAsync(
                command,
                static r => new SlowStatement(r.GetString(0), r.GetInt64(1), TimeSpan.FromMilliseconds(r.GetDouble(2)), TimeSpan.FromMilliseconds(r.GetDouble(3)), r.GetInt64(4), r.GetDouble(5)),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the catalog and statistics views of EventKit's tables.</summary>
    public async Task<CatalogReport> CheckCatalogAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var unusedCommand = new NpgsqlCommand(
                "SELECT s.indexrelname, pg_relation_size(s.indexrelid) FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid " +
                "WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND s.schemaname = current_schema() ORDER BY 2 DESC", connection);
            var unused = await Mapping.ReadAllAsync(unusedCommand, static r => new KeyValuePair<string, long>(r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);

            using var duplicateCommand = new NpgsqlCommand(
                "SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() " +
                "GROUP BY i.indrelid, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '') " +
                "HAVING count(*) > 1", connection);
            var duplicates = await Mapping.ReadAllAsync(duplicateCommand, static r => (IReadOnlyList<string>)r.GetFieldValue<string[]>(0), cancellationToken).ConfigureAwait(false);

            using var tablesCommand = new NpgsqlCommand(
                "SELECT relname, n_live_tup, CASE WHEN n_live_tup + n_dead_tup = 0 THEN 0 ELSE n_dead_tup::float8 / (n_live_tup + n_dead_tup) END, " +
                "CASE WHEN coalesce(seq_scan, 0) + coalesce(idx_scan, 0) = 0 THEN NULL ELSE coalesce(idx_scan, 0)::float8 / (coalesce(seq_scan, 0) + coalesce(idx_scan, 0)) END, " +
                "greatest(last_vacuum, last_autovacuum), greatest(last_analyze, last_autoanalyze) " +
                "FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname", connection);
            var tables = await Mapping.ReadAllAsync(
                tablesCommand,
                static r => new TableHealth(
                    r.GetString(0),
                    r.GetInt64(1),
                    r.GetDouble(2),
                    r.IsDBNull(3) ? null : r.GetDouble(3),
                    r.IsDBNull(4) ? null : new DateTimeOffset(r.GetDateTime(4), TimeSpan.Zero),
                    r.IsDBNull(5) ? null : new DateTimeOffset(r.GetDateTime(5), TimeSpan.Zero)),
                cancellationToken).ConfigureAwait(false);

            using var cacheCommand = new NpgsqlCommand(
                "SELECT (SELECT sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0) FROM pg_statio_user_tables WHERE schemaname = current_schema()), " +
                "(SELECT sum(idx_blks_hit)::float8 / nullif(sum(idx_blks_hit) + sum(idx_blks_read), 0) FROM pg_statio_user_indexes WHERE schemaname = current_schema())", connection);
            double? heapHit = null, indexHit = null;
            var reader = await cacheCommand.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                heapHit = reader.IsDBNull(0) ? null : reader.GetDouble(0);
                indexHit = reader.IsDBNull(1) ? null : reader.GetDouble(1);
            }

            var lowScan = new List<string>();
            var suggestions = new List<string>();
            foreach (var t in tables)
            {
                if (t.LiveRows >= _options.LargeRelationRows && t.IndexScanShare < 0.9)
                {
                    lowScan.Add(t.Table);
                    suggestions.Add(Invariant($"{t.Table}: only {t.IndexScanShare:P0} of scans use an index on {t.LiveRows} rows; explain the queries touching it (QueryAnalyzer.AnalyzeAsync) and add the index their filters need."));
                }

                if (t.DeadRowShare > 0.2 && t.LiveRows > 1000)
                {
                    suggestions.Add(Invariant($"{t.Table}: {t.DeadRowShare:P0} dead rows; VACUUM (ANALYZE) it or make autovacuum more aggressive for it."));
                }

                if (t.LastAnalyze is null && t.LiveRows > 0)
                {
                    suggestions.Add(Invariant($"{t.Table}: never analysed; run ANALYZE so the planner has statistics."));
                }
            }

            foreach (var (index, size) in unused)
            {
                suggestions.Add(Invariant($"Index {index} ({size / 1024} KiB) was never scanned since statistics were reset; if that covers a representative period, drop it to speed up ingestion."));
            }

            foreach (var group in duplicates)
            {
                suggestions.Add($"Indexes {string.Join(", ", group)} are identical; keep one.");
            }

            if (heapHit < 0.95 || indexHit < 0.95)
            {
                suggestions.Add(Invariant($"Cache-hit rate is low (tables {heapHit:P1}, indexes {indexHit:P1}); the working set exceeds shared_buffers: raise shared_buffers or shrink the hot set (retention, fewer indexes)."));
            }

            return new CatalogReport(unused, duplicates, lowScan, heapHit, indexHit, tables, suggestions);
        }
    }

    internal static QueryPlanReport Interpret(string name, string json, IReadOnlyDictionary<string, double> relationRows, int partitionsTotal, long largeRelationRows)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement[0];
        var walk = new PlanWalk(relationRows, largeRelationRows);
        walk.Visit(root.GetProperty("Plan"));

        var suggestions = new List<string>();
        foreach (var scan in walk.SeqScans)
        {
            suggestions.Add(Invariant($"Sequential scan of {scan} (a large relation): add an index that matches the query's filter, or check that statistics are current (ANALYZE)."));
        }

        if (walk.TouchesAttendance && partitionsTotal > 1 && walk.Partitions.Count >= partitionsTotal)
        {
            suggestions.Add("Every attendance_records partition was scanned: add an occurred_at range to the query so that partitions are pruned.");
        }

        suggestions.AddRange(walk.Misestimates);
        if (walk.SortsOnDisk)
        {
            suggestions.Add("A sort spilled to disk: raise work_mem for this query or add an index that returns rows in the wanted order.");
        }

        if (walk.Read > 1000 && walk.Read > walk.Hit)
        {
            suggestions.Add(Invariant($"Most buffers ({walk.Read} of {walk.Read + walk.Hit}) were read from disk: the data is not cached; check shared_buffers and the cache-hit rate."));
        }

        return new QueryPlanReport(
            name,
            TimeSpan.FromMilliseconds(root.GetProperty("Planning Time").GetDouble()),
            TimeSpan.FromMilliseconds(root.GetProperty("Execution Time").GetDouble()),
            [.. walk.Indexes],
            [.. walk.SeqScans],
            walk.Hit,
            walk.Read,
            walk.TouchesAttendance ? walk.Partitions.Count : 0,
            walk.TouchesAttendance ? partitionsTotal : 0,
            suggestions,
            json);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Collects what a plan tree does, node by node.</summary>
    private sealed class PlanWalk(IReadOnlyDictionary<string, double> relationRows, long largeRelationRows)
    {
        public SortedSet<string> Indexes { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> SeqScans { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Partitions { get; } = new(StringComparer.Ordinal);

        public List<string> Misestimates { get; } = [];

        public bool TouchesAttendance { get; private set; }

        public bool SortsOnDisk { get; private set; }

        public long Hit { get; private set; }

        public long Read { get; private set; }

        public void Visit(JsonElement node)
        {
            var type = node.GetProperty("Node Type").GetString();
            if (node.TryGetProperty("Index Name", out var index))
            {
                Indexes.Add(index.GetString()!);
            }

            if (node.TryGetProperty("Relation Name", out var relationElement))
            {
                var relation = relationElement.GetString()!;
                if (relation.StartsWith(PartitionMaintainer.Parent, StringComparison.Ordinal))
                {
                    TouchesAttendance = true;
                    var loops = node.TryGetProperty("Actual Loops", out var l) ? l.GetDouble() : 1;
                    if (loops > 0 && relation != PartitionMaintainer.Parent)
                    {
                        Partitions.Add(relation);
                    }
                }

                if (type == "Seq Scan" && relationRows.TryGetValue(relation, out var rows) && rows >= largeRelationRows)
                {
                    SeqScans.Add(relation);
                }
            }

            if (node.TryGetProperty("Plan Rows", out var planRows) && node.TryGetProperty("Actual Rows", out var actualRows))
            {
                var estimated = Math.Max(1, planRows.GetDouble());
                var actual = Math.Max(1, actualRows.GetDouble());
                if ((actual / estimated > 100 || estimated / actual > 100) && Math.Max(actual, estimated) > 1000)
                {
                    Misestimates.Add(Invariant($"{type} estimated {estimated:F0} rows but found {actual:F0}: statistics are off; ANALYZE the table (partitioned parents are not analysed by autovacuum)."));
                }
            }

            if (type == "Sort" && node.TryGetProperty("Sort Space Type", out var space) && space.GetString() == "Disk")
            {
                SortsOnDisk = true;
            }

            // Buffers of a node include its children's, so only leaf nodes are summed.
            if (!node.TryGetProperty("Plans", out var children))
            {
                Hit += node.TryGetProperty("Shared Hit Blocks", out var hit) ? hit.GetInt64() : 0;
                Read += node.TryGetProperty("Shared Read Blocks", out var read) ? read.GetInt64() : 0;
                return;
            }

            foreach (var child in children.EnumerateArray())
            {
                Visit(child);
            }
        }
    }
}
