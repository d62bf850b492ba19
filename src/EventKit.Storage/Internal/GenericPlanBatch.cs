using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>
/// Runs one hot, parameterised read with PostgreSQL's generic plan in the same round trip: a first statement sets
/// <c>plan_cache_mode = force_generic_plan</c>, <c>jit = off</c> and <c>max_parallel_workers_per_gather = 0</c> for the
/// current (implicit) transaction only, then the query runs.
/// </summary>
/// <remarks>
/// Left to itself, PostgreSQL re-plans these statements on every call: their generic plans look costly on paper
/// (an unknown <c>occurred_at &gt;= $n</c> is estimated at a third of the table), so the plan cache keeps choosing
/// custom plans, and planning a query over a partitioned table (0.3–0.5 ms) costs several times its execution
/// (0.05–0.15 ms). The generic plans of the statements that go through here are verified by tests: index or
/// index-only range scans, partitions outside the bounds removed at executor start-up ("Subplans Removed"), no
/// parallel workers, no JIT. The settings end with the transaction, so nothing leaks into the pooled connection.
/// Only statements whose generic plan is known to be good may use this.
/// </remarks>
internal static class GenericPlanBatch
{
    /// <summary>The prelude; <c>set_config(…, true)</c> is transaction-local and, unlike <c>SET LOCAL</c>, raises no warning outside an explicit transaction block.</summary>
    internal const string PreludeSql =
        "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true), " +
        "set_config('max_parallel_workers_per_gather', '0', true)";

    /// <summary>A batch of the prelude and <paramref name="sql"/>; add the query's parameters to <paramref name="query"/>.</summary>
    public static NpgsqlBatch Create(NpgsqlDataSource source, string sql, out NpgsqlBatchCommand query)
    {
        var batch = source.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PreludeSql));
        query = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(query);
        return batch;
    }

    /// <summary>Runs <paramref name="batch"/> (one round trip, one implicit transaction) and maps every row of the query's result.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlBatch batch, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // The prelude's single row is not read; NextResult skips it.
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(map(reader));
            }
        }

        return list;
    }
}
