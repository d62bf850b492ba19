using EventKit.Storage.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventKit.Storage;

/// <summary>EventKit.Storage's schema migrations, for hosts that turn <see cref="PostgresStorageOptions.ApplyMigrationsOnStart"/> off and migrate in a deployment step.</summary>
public static class PostgresStorageMigrations
{
    /// <summary>The schema version the current package expects.</summary>
    public static int LatestVersion => Migrator.Migrations[^1].Version;

    /// <summary>Applies pending migrations under a PostgreSQL advisory lock; a no-op when the schema is current.</summary>
    /// <param name="dataSource">A data source for the primary.</param>
    /// <param name="cancellationToken">Stops waiting for the lock; a migration already running is finished or rolled back by PostgreSQL.</param>
    /// <param name="logger">Where to log applied migrations, if anywhere.</param>
    /// <returns>The versions applied by this call.</returns>
    public static Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new Migrator(dataSource, logger ?? NullLogger.Instance, TimeProvider.System).ApplyAsync(cancellationToken);
    }
}
