using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EventKit.Testing;

/// <summary>
/// A private PostgreSQL cluster (initdb into a temp folder, a free loopback port), for tests that stop
/// and restart the database (outages, recovery) without disturbing the shared test server.
/// As root it runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class DedicatedPostgresServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;

    private DedicatedPostgresServer(string directory, string bin, int port, bool fsync)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
        Fsync = fsync;
    }

    /// <summary>
    /// Whether the server flushes its WAL to disk (<c>fsync</c>). Off by default for speed, as the local servers;
    /// durability tests turn it on, and so does <c>EVENTKIT_PG_FSYNC=on</c> for every dedicated server.
    /// </summary>
    public bool Fsync { get; }

    /// <summary>Whether <c>EVENTKIT_PG_FSYNC</c> asks for <c>fsync=on</c> (the same variable as <c>./eventkit services start</c>).</summary>
    public static bool FsyncRequestedByEnvironment
        => string.Equals(Environment.GetEnvironmentVariable("EVENTKIT_PG_FSYNC"), "on", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port (kept across stop/start).</summary>
    public int Port { get; }

    /// <summary>A connection string (user and password <c>eventkit</c>, database <c>postgres</c>).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=eventkit;Password=eventkit;Database=postgres;Timeout=3";

    /// <summary>Creates and starts a cluster.</summary>
    /// <param name="fsync">Whether it runs with <c>fsync=on</c>; default: on only when <c>EVENTKIT_PG_FSYNC=on</c>.</param>
    public static async Task<DedicatedPostgresServer> StartNewAsync(bool? fsync = null)
    {
        var bin = new[] { "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin" }.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException($"PostgreSQL server binaries are not installed. Install them with: {TestServers.StartCommand}");
        var directory = Path.Combine(Path.GetTempPath(), $"ek-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var server = new DedicatedPostgresServer(directory, bin, FreePort(), fsync ?? FsyncRequestedByEnvironment);
        var passwordFile = Path.Combine(directory, "pw");
        await File.WriteAllTextAsync(passwordFile, "eventkit\n");
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", directory);
        }

        await server.AsPostgresAsync(Path.Combine(bin, "initdb"), "-D", server.DataDirectory, "-U", "eventkit", "--pwfile=" + passwordFile, "-A", "scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// Creates and starts a streaming replica of this server (<c>pg_basebackup -R -X stream</c>, hot standby) on its own
    /// port, as <c>./eventkit services start --replica</c> does for the shared server.
    /// </summary>
    public async Task<DedicatedPostgresServer> StartReplicaAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ek-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", directory);
        }

        var replica = new DedicatedPostgresServer(directory, _bin, FreePort(), Fsync);
        await replica.AsPostgresAsync(Path.Combine(_bin, "pg_basebackup"), "-d", $"host=127.0.0.1 port={Port.ToString(CultureInfo.InvariantCulture)} user=eventkit password=eventkit", "-D", replica.DataDirectory, "-R", "-X", "stream", "-c", "fast");
        await replica.StartAsync();
        return replica;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_directory, "log"), "-w", "-t", "30",
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory} -c fsync={(Fsync ? "on" : "off")} -c synchronous_commit=on -c max_connections=200", "start");
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
    }

    /// <summary>The <c>fsync</c> setting the running server reports (<c>SHOW fsync</c>): <c>on</c> or <c>off</c>.</summary>
    public async Task<string> ShowFsyncAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW fsync", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops the server at once (<c>-m immediate</c>, as a crash would) and drops every pooled connection to it.</summary>
    public async Task StopAsync()
    {
        await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task AsPostgresAsync(string program, params string[] arguments)
        => IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
