using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Applies pending migrations when the host starts (registered before every other storage service, so it runs first).</summary>
internal sealed class MigrationHostedService(StorageDataSources sources, IOptions<PostgresStorageOptions> options, TimeProvider time, ILogger<MigrationHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => options.Value.ApplyMigrationsOnStart
            ? new Migrator(sources.Write, logger, time).ApplyAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Drains the attendance writer when the host stops, within the host's shutdown timeout.</summary>
internal sealed class WriterDrainHostedService(GroupCommitAttendanceWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => writer.DrainAsync(cancellationToken);
}
