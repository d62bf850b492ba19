using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace EventKit.Testing;

/// <summary>
/// A private Sentinel setup: a primary, one replica and one sentinel (quorum 1, primary down after 1 s) monitoring them
/// as <see cref="ServiceName"/>, all <c>redis-server</c> processes on free loopback ports. For tests of the Sentinel
/// configuration string and of a failover (<see cref="KillPrimaryAsync"/>).
/// </summary>
public sealed class DedicatedRedisSentinel : IAsyncDisposable
{
    /// <summary>The monitored service's name.</summary>
    public const string ServiceName = "eventkit";

    private readonly string _directory = Directory.CreateTempSubdirectory("ek-redis-sentinel-").FullName;
    private readonly Dictionary<int, Process> _processes = [];

    private DedicatedRedisSentinel(int primary, int replica, int sentinel)
    {
        PrimaryPort = primary;
        ReplicaPort = replica;
        SentinelPort = sentinel;
    }

    /// <summary>The port of the server that was primary at start.</summary>
    public int PrimaryPort { get; }

    /// <summary>The port of the server that was the replica at start.</summary>
    public int ReplicaPort { get; }

    /// <summary>The sentinel's port.</summary>
    public int SentinelPort { get; }

    /// <summary>A StackExchange.Redis configuration string through the sentinel: <c>127.0.0.1:port,serviceName=eventkit</c>.</summary>
    public string Configuration => $"127.0.0.1:{SentinelPort},serviceName={ServiceName}";

    /// <summary>Starts the primary, the replica (synchronised) and the sentinel.</summary>
    /// <returns>The running setup.</returns>
    public static async Task<DedicatedRedisSentinel> StartNewAsync()
    {
        var setup = new DedicatedRedisSentinel(FreePort(), FreePort(), FreePort());
        try
        {
            await setup.StartAsync();
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        Start(PrimaryPort, "--bind", "127.0.0.1", "--port", Text(PrimaryPort), "--save", "", "--appendonly", "no", "--dir", Dir(PrimaryPort));
        Start(ReplicaPort, "--bind", "127.0.0.1", "--port", Text(ReplicaPort), "--save", "", "--appendonly", "no", "--dir", Dir(ReplicaPort), "--replicaof", "127.0.0.1", Text(PrimaryPort));
        await WaitAsync(async () =>
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{ReplicaPort},connectTimeout=500,abortConnect=true,allowAdmin=true");
            var info = await probe.GetServer("127.0.0.1", ReplicaPort).InfoRawAsync("replication");
            return info?.Contains("master_link_status:up", StringComparison.Ordinal) == true;
        }, "the replica is in sync");

        var config = Path.Combine(Dir(SentinelPort), "sentinel.conf");
        await File.WriteAllTextAsync(config, $"""
            bind 127.0.0.1
            port {SentinelPort}
            dir {Dir(SentinelPort)}
            sentinel monitor {ServiceName} 127.0.0.1 {PrimaryPort} 1
            sentinel down-after-milliseconds {ServiceName} 1000
            sentinel failover-timeout {ServiceName} 5000

            """);
        Start(SentinelPort, config, "--sentinel");
        await WaitAsync(async () =>
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync(SentinelProbe());
            var info = await probe.GetServer("127.0.0.1", SentinelPort).InfoRawAsync("sentinel");
            return info?.Contains("slaves=1", StringComparison.Ordinal) == true;
        }, "the sentinel sees the primary and its replica");
    }

    /// <summary>Kills the current primary's process (SIGKILL) and waits until the sentinel names the replica as primary.</summary>
    public async Task KillPrimaryAsync()
    {
        await RedisProcesses.KillAsync(_processes[PrimaryPort]);
        _processes.Remove(PrimaryPort);
        await WaitAsync(async () =>
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync(SentinelProbe());
            var address = await probe.GetServer("127.0.0.1", SentinelPort).SentinelGetMasterAddressByNameAsync(ServiceName);
            return address is IPEndPoint ip && ip.Port == ReplicaPort;
        }, "the sentinel promoted the replica", TimeSpan.FromSeconds(30));
    }

    private ConfigurationOptions SentinelProbe()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{SentinelPort},connectTimeout=500,abortConnect=true,allowAdmin=true");
        options.CommandMap = CommandMap.Sentinel;
        return options;
    }

    private void Start(int port, params string[] arguments) => _processes[port] = RedisProcesses.Start(arguments);

    private string Dir(int port) => Directory.CreateDirectory(Path.Combine(_directory, Text(port))).FullName;

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (RedisException)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"Redis Sentinel setup: {what} did not happen in time.");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            await RedisProcesses.KillAsync(process);
        }

        _processes.Clear();
        RedisProcesses.DeleteDirectory(_directory);
    }

    private static int FreePort() => RedisProcesses.FreePort();
}
