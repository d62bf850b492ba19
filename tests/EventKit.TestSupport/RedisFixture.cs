using StackExchange.Redis;
using Xunit;

namespace EventKit.Testing;

/// <summary>
/// A connection to the shared test Redis with a key prefix of its own (<see cref="KeyPrefix"/>), so
/// test classes run in parallel; its keys are deleted afterwards.
/// </summary>
public class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    /// <summary>The prefix every key of this fixture's tests should carry.</summary>
    public string KeyPrefix { get; } = $"ek-test:{Guid.NewGuid():N}:";

    /// <summary>The configuration string (from <c>EVENTKIT_REDIS</c>).</summary>
    public string Configuration { get; } = TestServers.Redis;

    /// <summary>The connection.</summary>
    public ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture has not been initialised.");

    /// <summary>Connects.</summary>
    public virtual async Task InitializeAsync()
    {
        try
        {
            var options = ConfigurationOptions.Parse(Configuration);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 3000;
            options.AllowAdmin = true;
            _connection = await ConnectionMultiplexer.ConnectAsync(options);
            await _connection.GetDatabase().PingAsync();
        }
        catch (RedisConnectionException e)
        {
            throw TestServers.Unreachable("Redis", Configuration, e);
        }
    }

    /// <summary>Deletes this fixture's keys and disconnects.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        var database = _connection.GetDatabase();
        foreach (var endpoint in _connection.GetEndPoints())
        {
            var server = _connection.GetServer(endpoint);
            var batch = new List<RedisKey>(1000);
            foreach (var key in server.Keys(pattern: KeyPrefix + "*", pageSize: 1000))
            {
                batch.Add(key);
                if (batch.Count == 1000)
                {
                    await database.KeyDeleteAsync(batch.ToArray());
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await database.KeyDeleteAsync(batch.ToArray());
            }
        }

        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
