using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EventKit.LoadTest;

/// <summary>
/// Runs a built sample (the host by default, or the YARP gateway) as a child process and stops it on dispose; its output
/// goes to a log file. Children never outlive the load tool: SIGTERM, SIGINT, SIGQUIT or the process exiting any other
/// way (an unhandled exception, <c>Environment.Exit</c>) stops every child still running.
/// </summary>
internal sealed class SampleHostProcess : IAsyncDisposable
{
    /// <summary>How long a child may drain (its attendance writer) after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private static readonly ConcurrentDictionary<int, Process> Children = new();
    private static readonly PosixSignalRegistration[] Signals = WatchSignals();

    private readonly Process _process;
    private readonly StreamWriter _log;

    private SampleHostProcess(Process process, StreamWriter log, string logPath, Uri baseAddress)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public static Task<SampleHostProcess> StartAsync(string repoRoot, int port, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
        => StartAsync(repoRoot, "EventKit.Sample.Host", "host", port, environment, cancellationToken);

    /// <summary>Starts <paramref name="project"/>'s built dll on <paramref name="port"/> and waits for <c>/health/live</c>.</summary>
    public static async Task<SampleHostProcess> StartAsync(string repoRoot, string project, string logName, int port, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(repoRoot, "artifacts", "bin", project, "release", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{project} is not built ({dll}). Run: ./eventkit build");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", baseAddress.ToString().TrimEnd('/') },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(repoRoot, "artifacts", "demo", $"{logName}-{port}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {project}.");
        Track(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new SampleHostProcess(process, log, logPath, baseAddress);
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                // Read before disposing: a disposed Process has no exit code to give.
                var exitCode = process.ExitCode;
                await host.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"{project} exited with code {exitCode}. Its log: {logPath}\n{Tail(logPath)}");
            }

            try
            {
                using var response = await probe.GetAsync("health/live", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        await host.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"{project} did not answer /health/live within 60 s. Its log: {logPath}\n{Tail(logPath)}");
    }

    /// <summary>CPU time the host has used so far (user + system).</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
    }

    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.HasExited ? 0 : _process.WorkingSet64;
    }

    /// <summary>SIGKILL: the process dies on the spot, with no drain (a crashed node).</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the host drain its attendance writer; kill only if it does not stop in time.
            Terminate(_process);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        Children.TryRemove(_process.Id, out _);
        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops <paramref name="process"/> with the load tool if nothing else does (the ceiling endpoint, say).</summary>
    public static void Track(Process process)
    {
        // The registrations live as long as the class; touching them here makes sure they exist before any child does.
        GC.KeepAlive(Signals);
        Children[process.Id] = process;
    }

    /// <summary>
    /// The signals a terminal or a supervisor sends (Ctrl+C on <c>./eventkit demo</c>, <c>kill</c>, <c>timeout</c>) and
    /// the process exit: each stops the children first. The signals keep their usual effect afterwards (Ctrl+C still
    /// cancels the run; SIGTERM still ends the process).
    /// </summary>
    private static PosixSignalRegistration[] WatchSignals()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopChildren();
        return OperatingSystem.IsWindows()
            ? []
            : [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, _ => StopChildren()))];
    }

    /// <summary>SIGTERM to every child still running, then SIGKILL to those that have not stopped in <see cref="StopTimeout"/>.</summary>
    private static void StopChildren()
    {
        var running = Children.Values.Where(static p => !HasExited(p)).ToArray();
        foreach (var process in running)
        {
            Terminate(process);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(StopTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var process in running)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (!process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Exited meanwhile.
                }
            }
        }
    }

    private static void Terminate(Process process)
    {
        if (HasExited(process))
        {
            return;
        }

        using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        term?.WaitForExit();
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
