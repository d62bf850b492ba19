using System.Diagnostics;

namespace EventKit.LoadTest;

/// <summary>
/// Runs a built sample (the host by default, or the YARP gateway) as a child process and stops it on dispose; its output
/// goes to a log file.
/// </summary>
internal sealed class SampleHostProcess : IAsyncDisposable
{
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
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync().ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
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
