using Xunit;

namespace EventKit.Testing;

/// <summary>
/// A three-primary Redis Cluster of the test class's own (<see cref="DedicatedRedisCluster"/>), started before its first
/// test and stopped after its last: use it as <c>IClassFixture&lt;RedisClusterFixture&gt;</c>.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private DedicatedRedisCluster? _cluster;

    /// <summary>The StackExchange.Redis configuration naming every primary.</summary>
    public string Configuration => (_cluster ?? throw new InvalidOperationException("The cluster has not been started.")).Configuration;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _cluster = await DedicatedRedisCluster.StartNewAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
