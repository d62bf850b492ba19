using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace EventKit.Testing;

/// <summary>
/// A private Redis Cluster of three primaries (no replicas): three <c>redis-server --cluster-enabled yes</c> processes on
/// free loopback ports joined by <c>redis-cli --cluster create</c>. Tests that need a real cluster start their own, so CI
/// needs nothing beyond Debian's redis-server.
/// </summary>
public sealed class DedicatedRedisCluster : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ek-redis-cluster-").FullName;
    private readonly List<Process> _processes = [];

    private DedicatedRedisCluster(int[] ports) => Ports = ports;

    /// <summary>The primaries' ports (each also uses port + 10000 for the cluster bus).</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>A StackExchange.Redis configuration string naming every primary.</summary>
    public string Configuration => string.Join(',', Ports.Select(static p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Starts three primaries, creates the cluster and waits until every node reports <c>cluster_state:ok</c>.</summary>
    /// <returns>The running cluster.</returns>
    public static async Task<DedicatedRedisCluster> StartNewAsync()
    {
        var cluster = new DedicatedRedisCluster(FreePorts(3));
        try
        {
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        foreach (var port in Ports)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture))).FullName;
            var process = RedisProcesses.Start(
                "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
                "--dir", dir, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000");
            _processes.Add(process);
        }

        foreach (var port in Ports)
        {
            await WaitForPingAsync(port);
        }

        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var port in Ports)
        {
            create.ArgumentList.Add("127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        }

        create.ArgumentList.Add("--cluster-replicas");
        create.ArgumentList.Add("0");
        create.ArgumentList.Add("--cluster-yes");
        using (var cli = Process.Start(create) ?? throw new InvalidOperationException("redis-cli did not start."))
        {
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync();
            if (cli.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({cli.ExitCode}): {await output}{await error}");
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await AllOkAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The Redis cluster on ports {string.Join(", ", Ports)} did not reach cluster_state:ok within 30 s.");
    }

    private async Task<bool> AllOkAsync()
    {
        foreach (var port in Ports)
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500,abortConnect=true,allowAdmin=true");
            var info = (string?)await probe.GetServer("127.0.0.1", port).ExecuteAsync("CLUSTER", "INFO");
            if (info is null || !info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task WaitForPingAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500,abortConnect=true");
                await probe.GetServer("127.0.0.1", port).PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server on port {port} did not answer within 10 s.");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await RedisProcesses.KillAsync(process);
        }

        _processes.Clear();
        RedisProcesses.DeleteDirectory(_directory);
    }

    // Each primary also listens on port + 10000 (the cluster bus): both must be free.
    private static int[] FreePorts(int count)
    {
        var ports = new List<int>(count);
        while (ports.Count < count)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port + 10000 > 65535 || ports.Contains(port) || ports.Contains(port + 10000) || ports.Contains(port - 10000) || !IsFree(port + 10000))
            {
                continue;
            }

            ports.Add(port);
        }

        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
