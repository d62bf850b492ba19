using EventKit.Storage.Internal;
using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.Storage;

/// <summary>
/// Health of EventKit.Storage: PostgreSQL answers on the write data source, and the attendance
/// writer's backlog is below 80 % of its queue (Degraded above). <c>AddPostgresStorage()</c> registers it
/// as the health check <c>postgresql</c> (tag <c>ready</c>).
/// </summary>
public sealed class PostgresStorageHealthCheck : IHealthCheck
{
    private readonly StorageDataSources _sources;
    private readonly GroupCommitAttendanceWriter _writer;

    internal PostgresStorageHealthCheck(StorageDataSources sources, GroupCommitAttendanceWriter writer)
    {
        _sources = sources;
        _writer = writer;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["writer_queue_depth"] = _writer.QueueDepth,
            ["writer_queue_capacity"] = _writer.QueueCapacity,
        };
        try
        {
            using var command = _sources.Write.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e, data);
        }

        return _writer.QueueDepth >= _writer.QueueCapacity * 0.8
            ? HealthCheckResult.Degraded("The attendance writer's queue is over 80 % full; ingestion is falling behind.", data: data)
            : HealthCheckResult.Healthy(data: data);
    }
}
