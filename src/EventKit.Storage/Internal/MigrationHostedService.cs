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
