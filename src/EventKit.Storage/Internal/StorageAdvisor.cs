using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EventKit.Storage.Internal;

/// <summary>
/// Turns a review's facts into advice, each with its evidence (the plan that shows it, counts, sizes, dates), the exact
/// SQL or option to apply, and the effect to expect. Pure: the database is read by <see cref="QueryAnalyzer.ReviewAsync"/>.
/// </summary>
internal static partial class StorageAdvisor
{
    /// <summary>Dead rows below this count are not worth a VACUUM by hand.</summary>
    public const long VacuumMinDeadRows = 1_000;

    /// <summary>Dead rows above this share of a table's rows call for a VACUUM.</summary>
    public const double VacuumDeadShare = 0.2;

    /// <summary>Block reads from disk (8 KiB each) before the buffer cache's hit rate is judged.</summary>
    public const long BufferCacheMinBlocksRead = 100_000;

    /// <summary>The next partition is critical this long before it is needed.</summary>
    public static readonly TimeSpan PartitionCriticalLead = TimeSpan.FromDays(7);

    public static List<StorageAdvice> Advise(StorageFacts facts)
    {
        var advice = new List<StorageAdvice>();
        MissingIndexes(facts, advice);
        SequentialScans(facts, advice);
        UnusedAndDuplicateIndexes(facts, advice);
        Vacuum(facts, advice);
        BufferCache(facts, advice);
        Partitions(facts, advice);
        advice.Sort(static (a, b) =>
        {
            var bySeverity = b.Severity.CompareTo(a.Severity);
            return bySeverity != 0 ? bySeverity : string.CompareOrdinal(a.Id, b.Id);
        });
        return advice;
    }

    private static void MissingIndexes(StorageFacts facts, List<StorageAdvice> advice)
    {
        foreach (var (name, (table, sql, query)) in ExpectedIndexes.All)
        {
            if (facts.Indexes.ContainsKey(name) || !facts.Tables.Contains(table))
            {
                continue;
            }

            var evidence = new StringBuilder(Invariant($"Index {name} on {table} (created by EventKit's migrations) does not exist."));
            var plan = query is null ? null : Find(facts.Plans, query);
            if (plan is not null)
            {
                evidence.Append(Invariant($" {plan.Name} ran in {plan.ExecutionTime.TotalMilliseconds:F1} ms reading {plan.SharedHitBlocks + plan.SharedReadBlocks} buffers; its plan:\n")).Append(Outline(plan.PlanJson));
            }

            var rows = RowsOf(facts, table);
            advice.Add(new StorageAdvice(
                "missing_index:" + name,
                Invariant($"Index {name} is missing"),
                evidence.ToString(),
                sql,
                rows > 0
                    ? Invariant($"{query ?? "Queries on " + table} probe the index instead of reading all {rows:N0} rows of {table}: from linear in the table's size to a few buffers per call.")
                    : Invariant($"{query ?? "Queries on " + table} stay fast as {table} grows."),
                query is null ? StorageAdviceSeverity.Warning : StorageAdviceSeverity.Critical,
                query));
        }
    }

    private static void SequentialScans(StorageFacts facts, List<StorageAdvice> advice)
    {
        foreach (var plan in facts.Plans)
        {
            foreach (var scan in SeqScanNodes(plan.PlanJson))
            {
                if (!plan.SequentialScans.Contains(scan.Relation))
                {
                    continue;
                }

                var table = scan.Relation.StartsWith(PartitionMaintainer.Parent, StringComparison.Ordinal) ? PartitionMaintainer.Parent : scan.Relation;
                if (advice.Exists(a => a.QueryName == plan.Name && a.Id.StartsWith("missing_index:", StringComparison.Ordinal)))
                {
                    continue;   // The missing index explains it, with the statement that fixes it.
                }

                var columns = FilterColumns(scan.Filter);
                var action = columns.Count == 0
                    ? Invariant($"ANALYZE {table}; then explain {plan.Name} again (QueryAnalyzer.AnalyzeAsync): the plan has no filter to index.")
                    : Invariant($"CREATE INDEX {(table == PartitionMaintainer.Parent ? "" : "CONCURRENTLY ")}IF NOT EXISTS {IndexName(table, columns)} ON {table} ({string.Join(", ", columns)});");
                advice.Add(new StorageAdvice(
                    Invariant($"seq_scan:{plan.Name}:{table}"),
                    Invariant($"{plan.Name} reads {table} sequentially"),
                    Invariant($"{plan.Name} ran in {plan.ExecutionTime.TotalMilliseconds:F1} ms; Seq Scan on {scan.Relation} returned {scan.Rows:N0} rows and discarded {scan.Removed:N0} (filter {scan.Filter ?? "none"}). Plan:\n{Outline(plan.PlanJson)}"),
                    action,
                    Invariant($"An index scan reads the {scan.Rows:N0} matching rows instead of all {scan.Rows + scan.Removed:N0}."),
                    StorageAdviceSeverity.Warning,
                    plan.Name));
            }
        }

        foreach (var table in facts.Catalog.LowIndexScanTables)
        {
            var health = Health(facts, table);
            advice.Add(new StorageAdvice(
                "low_index_use:" + table,
                Invariant($"Most scans of {table} are sequential"),
                Invariant($"{table}: {health?.IndexScanShare:P0} of scans used an index, on {health?.LiveRows:N0} live rows (pg_stat_user_tables since the last statistics reset)."),
                Invariant($"SELECT query, calls, mean_exec_time FROM pg_stat_statements WHERE query ILIKE '%{table}%' ORDER BY total_exec_time DESC LIMIT 10; then QueryAnalyzer.AnalyzeAsync on each and add the index its filter needs."),
                Invariant($"Each sequential scan reads all {health?.LiveRows:N0} rows; an index scan reads the matching ones."),
                StorageAdviceSeverity.Warning));
        }
    }

    private static void UnusedAndDuplicateIndexes(StorageFacts facts, List<StorageAdvice> advice)
    {
        foreach (var (index, size) in facts.Catalog.UnusedIndexes)
        {
            // EventKit's own (needed by a query even if this database has not run it yet), and the per-partition copies
            // of a partitioned index (they follow their parent).
            if (ExpectedIndexes.IsOwn(index) || (facts.Indexes.TryGetValue(index, out var table) && IsPartition(table)))
            {
                continue;
            }

            advice.Add(new StorageAdvice(
                "unused_index:" + index,
                Invariant($"Index {index} is never used"),
                Invariant($"pg_stat_user_indexes.idx_scan = 0 for {index} ({size / 1024:N0} KiB) since statistics were last reset."),
                Invariant($"DROP INDEX CONCURRENTLY IF EXISTS {index};"),
                Invariant($"Frees {size / 1024:N0} KiB and one index update per insert; check first that the period since the reset covers every kind of load."),
                StorageAdviceSeverity.Info));
        }

        foreach (var group in facts.Catalog.DuplicateIndexes)
        {
            var keep = group.FirstOrDefault(ExpectedIndexes.IsOwn) ?? group[0];
            var drop = group.Where(i => i != keep).ToList();
            advice.Add(new StorageAdvice(
                "duplicate_index:" + string.Join(",", group),
                Invariant($"Indexes {string.Join(", ", group)} are identical"),
                Invariant($"Same table, columns, operator classes, expressions and predicate: {string.Join(", ", group)}."),
                string.Join(" ", drop.Select(i => Invariant($"DROP INDEX CONCURRENTLY IF EXISTS {i};"))),
                Invariant($"Keeps {keep}; every insert updates {drop.Count} index(es) fewer."),
                StorageAdviceSeverity.Warning));
        }
    }

    private static void Vacuum(StorageFacts facts, List<StorageAdvice> advice)
    {
        foreach (var table in facts.Catalog.Tables)
        {
            var dead = table.DeadRowShare >= 1 ? table.LiveRows : (long)Math.Round(table.DeadRowShare * table.LiveRows / (1 - table.DeadRowShare));
            if (table.DeadRowShare > VacuumDeadShare && dead >= VacuumMinDeadRows)
            {
                advice.Add(new StorageAdvice(
                    "vacuum:" + table.Table,
                    Invariant($"{table.Table} needs VACUUM"),
                    Invariant($"{table.Table}: {dead:N0} dead rows beside {table.LiveRows:N0} live ({table.DeadRowShare:P0}); last vacuum {Date(table.LastVacuum)}, last analyze {Date(table.LastAnalyze)}."),
                    Invariant($"VACUUM (ANALYZE) {table.Table};"),
                    Invariant($"Makes the space of {dead:N0} dead rows ({table.DeadRowShare:P0} of the table) reusable, so scans read about {table.DeadRowShare:P0} fewer pages and the table stops growing; if it recurs, lower autovacuum_vacuum_scale_factor for it (ALTER TABLE {table.Table} SET (autovacuum_vacuum_scale_factor = 0.05))."),
                    StorageAdviceSeverity.Warning));
            }
            else if (table.LastAnalyze is null && table.LiveRows >= 1_000)
            {
                advice.Add(new StorageAdvice(
                    "analyze:" + table.Table,
                    Invariant($"{table.Table} was never analysed"),
                    Invariant($"{table.Table}: {table.LiveRows:N0} rows and no ANALYZE on record; the planner guesses its row counts."),
                    Invariant($"ANALYZE {table.Table};"),
                    "Row estimates from statistics instead of defaults: the planner picks index scans and join orders that fit.",
                    StorageAdviceSeverity.Info));
            }
        }
    }

    private static void BufferCache(StorageFacts facts, List<StorageAdvice> advice)
    {
        var heap = facts.Catalog.HeapCacheHitRate;
        var index = facts.Catalog.IndexCacheHitRate;
        // A fresh or idle database misses while it warms up: judge only after enough reads.
        if (!(heap < 0.95 || index < 0.95) || facts.SharedBuffersBytes <= 0 || facts.BlocksRead < BufferCacheMinBlocksRead)
        {
            return;
        }

        var current = facts.SharedBuffersBytes / (1024 * 1024);
        advice.Add(new StorageAdvice(
            "buffer_cache_low",
            "PostgreSQL's buffer cache misses",
            Invariant($"Blocks served from shared buffers: tables {heap:P1}, indexes {index:P1} (pg_statio_user_tables/indexes); shared_buffers = {current:N0} MB."),
            Invariant($"ALTER SYSTEM SET shared_buffers = '{current * 2:F0}MB'; then restart PostgreSQL (or shrink the hot set: retention, fewer indexes)."),
            Invariant($"Aims at ≥ 99 % of blocks from memory (now {Math.Min(heap ?? 1, index ?? 1):P1}); every miss is a read from the OS cache or disk."),
            StorageAdviceSeverity.Warning));
    }

    private static void Partitions(StorageFacts facts, List<StorageAdvice> advice)
    {
        if (!facts.Tables.Contains(PartitionMaintainer.Parent))
        {
            return;
        }

        var current = PartitionMaintainer.PeriodStart(facts.Now, facts.PartitionMonths);
        foreach (var start in (DateTimeOffset[])[current, current.AddMonths(facts.PartitionMonths)])
        {
            var end = start.AddMonths(facts.PartitionMonths);
            if (facts.Partitions.Any(p => p.From < end && start < p.To))
            {
                continue;
            }

            var name = PartitionMaintainer.PartitionName(start);
            var lead = start - facts.Now;
            var isCurrent = start == current;
            advice.Add(new StorageAdvice(
                "partition_missing:" + name,
                isCurrent ? Invariant($"The current partition {name} is missing") : Invariant($"The next partition {name} is missing"),
                Invariant($"attendance_records has {facts.Partitions.Count} ranged partitions and none covers {start:yyyy-MM-dd} to {end:yyyy-MM-dd}") +
                    (isCurrent ? "; check-ins of this period land in attendance_records_default, where no partition pruning applies." : Invariant($"; it is needed in {Math.Max(0, lead.TotalDays):N0} days.")) +
                    (facts.MaintenanceEnabled ? " Partition maintenance is enabled but has not created it (see its log: lock timeouts, a concurrent DDL)." : " Partition maintenance is off on this node (EventKit:Storage:Maintenance:Enabled = false)."),
                Invariant($"CREATE TABLE {name} PARTITION OF attendance_records FOR VALUES FROM ('{start:yyyy-MM-dd}') TO ('{end:yyyy-MM-dd}'); (while attendance_records_default holds no row of the period; otherwise let partition maintenance do it, EventKit:Storage:Maintenance:Enabled = true on one node: it moves those rows into the new partition)."),
                "Check-ins of the period get their own partition: queries of the period prune every other partition, and retention can detach whole quarters.",
                isCurrent || lead <= PartitionCriticalLead ? StorageAdviceSeverity.Critical : StorageAdviceSeverity.Warning));
        }
    }

    /// <summary>The plan as an indented outline: node type, relation or index, rows, loops, filter.</summary>
    public static string Outline(string planJson)
    {
        var builder = new StringBuilder();
        using var document = JsonDocument.Parse(planJson);
        Outline(document.RootElement[0].GetProperty("Plan"), 0, builder);
        return builder.ToString().TrimEnd('\n');
    }

    private static void Outline(JsonElement node, int depth, StringBuilder builder)
    {
        builder.Append(' ', depth * 2).Append(depth > 0 ? "-> " : "").Append(node.GetProperty("Node Type").GetString());
        if (node.TryGetProperty("Index Name", out var index))
        {
            builder.Append(" using ").Append(index.GetString());
        }

        if (node.TryGetProperty("Relation Name", out var relation))
        {
            builder.Append(" on ").Append(relation.GetString());
        }

        builder.Append(Invariant($" (actual rows {Number(node, "Actual Rows"):N0}, loops {Number(node, "Actual Loops"):N0}"));
        if (node.TryGetProperty("Rows Removed by Filter", out var removed))
        {
            builder.Append(Invariant($", removed by filter {removed.GetDouble():N0}"));
        }

        foreach (var key in (string[])["Index Cond", "Filter"])
        {
            if (node.TryGetProperty(key, out var text))
            {
                builder.Append(", ").Append(key.ToLowerInvariant()).Append(' ').Append(text.GetString());
            }
        }

        builder.Append(")\n");
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Outline(child, depth + 1, builder);
            }
        }
    }

    /// <summary>Columns compared in a plan's filter (<c>((token_hash = $1) AND (status = 'active'::text))</c> → token_hash, status).</summary>
    public static List<string> FilterColumns(string? filter)
    {
        var columns = new List<string>();
        if (filter is null)
        {
            return columns;
        }

        var plain = Casts().Replace(filter, "").Replace("(", " ", StringComparison.Ordinal).Replace(")", " ", StringComparison.Ordinal);
        foreach (Match match in Comparison().Matches(plain))
        {
            var column = match.Groups[1].Value;
            if (!columns.Contains(column) && column is not ("and" or "or" or "not"))
            {
                columns.Add(column);
            }
        }

        return columns;
    }

    private static IEnumerable<(string Relation, string? Filter, double Rows, double Removed)> SeqScanNodes(string planJson)
    {
        var result = new List<(string, string?, double, double)>();
        using var document = JsonDocument.Parse(planJson);
        var stack = new Stack<JsonElement>();
        stack.Push(document.RootElement[0].GetProperty("Plan"));
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.GetProperty("Node Type").GetString() == "Seq Scan" && node.TryGetProperty("Relation Name", out var relation))
            {
                result.Add((
                    relation.GetString()!,
                    node.TryGetProperty("Filter", out var filter) ? filter.GetString() : null,
                    Number(node, "Actual Rows") * Math.Max(1, Number(node, "Actual Loops")),
                    node.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0));
            }

            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    stack.Push(child);
                }
            }
        }

        return result;
    }

    private static string IndexName(string table, List<string> columns)
    {
        var name = table + "_" + string.Join("_", columns) + "_idx";
        return name.Length <= 63 ? name : name[..59] + "_idx";
    }

    private static bool IsPartition(string table) => table.StartsWith(PartitionMaintainer.Parent + "_", StringComparison.Ordinal);

    private static QueryPlanReport? Find(IReadOnlyList<QueryPlanReport> plans, string name)
    {
        foreach (var plan in plans)
        {
            if (plan.Name == name)
            {
                return plan;
            }
        }

        return null;
    }

    private static TableHealth? Health(StorageFacts facts, string table) => facts.Catalog.Tables.FirstOrDefault(t => t.Table == table);

    private static long RowsOf(StorageFacts facts, string table)
    {
        long rows = 0;
        foreach (var t in facts.Catalog.Tables)
        {
            if (t.Table == table || (table == PartitionMaintainer.Parent && t.Table.StartsWith(PartitionMaintainer.Parent + "_", StringComparison.Ordinal)))
            {
                rows += t.LiveRows;
            }
        }

        return rows;
    }

    private static double Number(JsonElement node, string property) => node.TryGetProperty(property, out var value) ? value.GetDouble() : 0;

    private static string Date(DateTimeOffset? value) => value is { } v ? v.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("::[a-z ]+(\\[\\])?")]
    private static partial Regex Casts();

    [GeneratedRegex("\\b([a-z_][a-z0-9_]*)\\s*(?:=|<>|>=|<=|>|<|~~|@@)")]
    private static partial Regex Comparison();
}
