using System.Diagnostics;
using StackExchange.Redis;

namespace EventKit.Testing;

/// <summary>
/// A private <c>redis-server</c> process on a free loopback port, for tests that stop and restart
/// Redis (fail-safe, recovery) without disturbing the shared test server other classes use.
/// </summary>
public sealed class DedicatedRedisServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ek-redis-").FullName;
    private Process? _process;

    private DedicatedRedisServer(int port) => Port = port;

    /// <summary>The port it listens on (kept across <see cref="StopAsync"/> / <see cref="StartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a new server on a free port.</summary>
    public static async Task<DedicatedRedisServer> StartNewAsync()
    {
        var server = new DedicatedRedisServer(FreePort());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (or restarts) the process and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = RedisProcesses.Start("--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", _directory);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync($"{Configuration},connectTimeout=500,abortConnect=true");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer within 10 s.");
    }

    /// <summary>Freezes the process with SIGSTOP: connections stay open, nothing answers (a hung server or a network stall).</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws a process paused by <see cref="PauseAsync"/> (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {pid}")!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with {kill.ExitCode}.");
        }
    }

    /// <summary>Kills the process (as a crash or an outage would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await RedisProcesses.KillAsync(_process);
        _process = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        RedisProcesses.DeleteDirectory(_directory);
    }

    private static int FreePort() => RedisProcesses.FreePort();
}
