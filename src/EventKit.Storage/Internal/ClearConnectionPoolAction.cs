using EventKit.Monitoring;

namespace EventKit.Storage.Internal;

/// <summary>
/// The <c>clear_db_pool</c> recovery action (built-in rule <c>postgres_unreachable</c>): clears the idle connections of
/// the write and read pools (<see cref="Npgsql.NpgsqlDataSource.Clear"/>), so that after a failover or a restart the
/// next commands open fresh connections instead of failing on dead ones. Busy connections are closed when returned.
/// </summary>
internal sealed class ClearConnectionPoolAction(StorageDataSources sources) : IRecoveryAction
{
    public string Name => RecoveryActionNames.ClearDatabasePool;

    public ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        sources.Write.Clear();
        if (!ReferenceEquals(sources.Read, sources.Write))
        {
            sources.Read.Clear();
            return ValueTask.FromResult(new RecoveryResult(true, "Cleared the idle connections of the primary and read pools."));
        }

        return ValueTask.FromResult(new RecoveryResult(true, "Cleared the idle connections of the connection pool."));
    }
}
