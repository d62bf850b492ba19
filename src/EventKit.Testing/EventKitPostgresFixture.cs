using System.Net.Sockets;
using EventKit.Storage;
using EventKit.Testing.Internal;
using Npgsql;

namespace EventKit.Testing;

/// <summary>
/// A fresh PostgreSQL database with EventKit.Storage's schema, for one test class or one test: created by
/// <see cref="InitializeAsync()"/>, dropped by <see cref="DisposeAsync"/>. Test classes each with their own fixture run in
/// parallel without seeing each other's rows.
/// </summary>
/// <remarks>
/// The server is a Testcontainers container when containers are asked for (<see cref="EventKitTestingOptions.UseContainers"/>
/// or <c>EVENTKIT_TEST_DOCKER=1</c>) and a Docker engine answers, else <c>EVENTKIT_POSTGRES</c>. Not tied to a test
/// framework: with xUnit, derive a class that adds <c>IAsyncLifetime</c> (see the package README).
/// </remarks>
public class EventKitPostgresFixture : IAsyncDisposable
{
    private readonly EventKitTestingOptions _options;
    private NpgsqlDataSource? _dataSource;
    private string? _adminConnectionString;
    private bool _created;

    /// <summary>A fixture configured by environment variables only.</summary>
    public EventKitPostgresFixture()
        : this(new EventKitTestingOptions())
    {
    }

    /// <summary>A fixture with explicit options.</summary>
    /// <param name="options">Where the server comes from; read at <see cref="InitializeAsync()"/>.</param>
    public EventKitPostgresFixture(EventKitTestingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The database's name (<c>ek_test_</c> and 16 hex digits).</summary>
    public string DatabaseName { get; } = "ek_test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A connection string to the fresh database (empty before <see cref="InitializeAsync()"/>); pass it to <c>AddPostgresStorage(o =&gt; o.ConnectionString = …)</c>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source for the fresh database, owned by the fixture (disposed with it).</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="InitializeAsync()"/>.</exception>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture has not been initialised: call InitializeAsync first.");

    /// <summary>Whether the server is a container or the environment's.</summary>
    public EventKitServerSource Source { get; private set; }

    /// <summary>The migration versions applied to the new database (empty with <see cref="EventKitTestingOptions.ApplyMigrations"/> off).</summary>
    public IReadOnlyList<int> AppliedMigrations { get; private set; } = [];

    /// <summary>Finds the server, creates the database and applies EventKit.Storage's migrations.</summary>
    /// <returns>A task that completes when the database is ready.</returns>
    /// <exception cref="InvalidOperationException">No server: the message names <c>EVENTKIT_POSTGRES</c> and <c>./eventkit services start</c>.</exception>
    public Task InitializeAsync() => InitializeAsync(CancellationToken.None);

    /// <summary>Finds the server, creates the database and applies EventKit.Storage's migrations.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the database is ready.</returns>
    /// <exception cref="InvalidOperationException">No server: the message names <c>EVENTKIT_POSTGRES</c> and <c>./eventkit services start</c>.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_adminConnectionString is not null)
        {
            throw new InvalidOperationException("The fixture is already initialised.");
        }

        _options.Validate();
        var (container, whyNoContainer) = await ContainerServers.PostgresAsync(_options, cancellationToken).ConfigureAwait(false);
        var server = container ?? _options.ResolvedPostgresConnectionString;
        if (server is null)
        {
            throw ContainerServers.NoServer("PostgreSQL", EventKitTestingOptions.PostgresVariable, null, whyNoContainer!, null);
        }

        Source = container is null ? EventKitServerSource.Environment : EventKitServerSource.Container;
        _adminConnectionString = new NpgsqlConnectionStringBuilder(server)
        {
            Database = "postgres",
            Pooling = false,
            Timeout = (int)Math.Ceiling(_options.ConnectTimeout.TotalSeconds),
        }.ConnectionString;
        try
        {
            await ExecuteAsAdminAsync($"CREATE DATABASE \"{DatabaseName}\"", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (container is null && e is NpgsqlException or TimeoutException or SocketException)
        {
            _adminConnectionString = null;
            throw ContainerServers.NoServer("PostgreSQL", EventKitTestingOptions.PostgresVariable, server, whyNoContainer!, e);
        }

        _created = true;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        if (_options.ApplyMigrations)
        {
            AppliedMigrations = await PostgresStorageMigrations.ApplyAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the data source and drops the database, closing whatever connections are still open to it.</summary>
    /// <returns>A task that completes when the database is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the fixture's resources; derived fixtures dispose what they built on it first, then call this.</summary>
    /// <returns>A task that completes when the database is gone.</returns>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _dataSource = null;
        }

        if (_created)
        {
            _created = false;
            await ExecuteAsAdminAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsAdminAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_adminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
