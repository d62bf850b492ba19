using EventKit.Testing.Internal;
using StackExchange.Redis;

namespace EventKit.Testing;

/// <summary>
/// A Redis connection with a key prefix of its own (<see cref="KeyPrefix"/>), for one test class or one test; the keys
/// under the prefix are deleted by <see cref="DisposeAsync"/>. Nothing else on the server is touched (no FLUSHDB).
/// </summary>
/// <remarks>
/// The server is a Testcontainers container when containers are asked for (<see cref="EventKitTestingOptions.UseContainers"/>
/// or <c>EVENTKIT_TEST_DOCKER=1</c>) and a Docker engine answers, else <c>EVENTKIT_REDIS</c>. Give EventKit's key prefixes
/// (<c>EventKit:Redis:KeyPrefix</c>, <c>EventKit:Claims:KeyPrefix</c>, the cache's) values under <see cref="KeyPrefix"/> so
/// that the fixture cleans them up.
/// </remarks>
public class EventKitRedisFixture : IAsyncDisposable
{
    private readonly EventKitTestingOptions _options;
    private ConnectionMultiplexer? _connection;

    /// <summary>A fixture configured by environment variables only.</summary>
    public EventKitRedisFixture()
        : this(new EventKitTestingOptions())
    {
    }

    /// <summary>A fixture with explicit options.</summary>
    /// <param name="options">Where the server comes from; read at <see cref="InitializeAsync()"/>.</param>
    public EventKitRedisFixture(EventKitTestingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The prefix every key of this fixture's tests should carry (<c>ek-test:</c>, 32 hex digits, <c>:</c>).</summary>
    public string KeyPrefix { get; } = $"ek-test:{Guid.NewGuid():N}:";

    /// <summary>The StackExchange.Redis configuration string of the server (empty before <see cref="InitializeAsync()"/>); pass it to <c>AddRedis(o =&gt; o.Configuration = …)</c>.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>The fixture's own connection, disposed with it.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="InitializeAsync()"/>.</exception>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture has not been initialised: call InitializeAsync first.");

    /// <summary>Whether the server is a container or the environment's.</summary>
    public EventKitServerSource Source { get; private set; }

    /// <summary>Finds the server and connects.</summary>
    /// <returns>A task that completes when connected.</returns>
    /// <exception cref="InvalidOperationException">No server: the message names <c>EVENTKIT_REDIS</c> and <c>./eventkit services start</c>.</exception>
    public Task InitializeAsync() => InitializeAsync(CancellationToken.None);

    /// <summary>Finds the server and connects.</summary>
    /// <param name="cancellationToken">Stops waiting for a container.</param>
    /// <returns>A task that completes when connected.</returns>
    /// <exception cref="InvalidOperationException">No server: the message names <c>EVENTKIT_REDIS</c> and <c>./eventkit services start</c>.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            throw new InvalidOperationException("The fixture is already initialised.");
        }

        _options.Validate();
        var (container, whyNoContainer) = await ContainerServers.RedisAsync(_options, cancellationToken).ConfigureAwait(false);
        var server = container ?? _options.ResolvedRedisConfiguration;
        if (server is null)
        {
            throw ContainerServers.NoServer("Redis", EventKitTestingOptions.RedisVariable, null, whyNoContainer!, null);
        }

        Source = container is null ? EventKitServerSource.Environment : EventKitServerSource.Container;
        Configuration = server;
        var options = ConfigurationOptions.Parse(server);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = (int)_options.ConnectTimeout.TotalMilliseconds;
        try
        {
            _connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
            await _connection.GetDatabase().PingAsync().ConfigureAwait(false);
        }
        catch (RedisConnectionException e) when (container is null)
        {
            throw ContainerServers.NoServer("Redis", EventKitTestingOptions.RedisVariable, server, whyNoContainer!, e);
        }
    }

    /// <summary>Deletes the keys under <see cref="KeyPrefix"/> and disconnects.</summary>
    /// <returns>A task that completes when the keys are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the fixture's resources; derived fixtures dispose what they built on it first, then call this.</summary>
    /// <returns>A task that completes when the keys are gone.</returns>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        if (_connection is null)
        {
            return;
        }

        var connection = _connection;
        _connection = null;
        await DeleteKeysAsync(connection, KeyPrefix).ConfigureAwait(false);
        await connection.CloseAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task DeleteKeysAsync(ConnectionMultiplexer connection, string prefix)
    {
        var database = connection.GetDatabase();
        var pattern = new RedisValue(EscapeGlob(prefix) + "*");
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            var batch = new List<RedisKey>(1000);
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == 1000)
                {
                    await database.KeyDeleteAsync([.. batch]).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await database.KeyDeleteAsync([.. batch]).ConfigureAwait(false);
            }
        }
    }

    // SCAN MATCH is a glob: a prefix with * ? [ ] \ must match only itself.
    private static string EscapeGlob(string value)
    {
        var escaped = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
