using System.Diagnostics;
using System.Globalization;

namespace EventKit.Faults.Tests;

/// <summary>
/// The built sample host (<c>dotnet EventKit.Sample.Host.dll</c>) as a child process, configured only by environment
/// variables, on a fixed port (kept across a kill and a restart). Its output is appended to a log file.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;
    private StreamWriter? _log;

    public HostProcess(int port, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        Port = port;
        _environment = environment;
        _logPath = logPath;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public static string Dll
    {
        get
        {
            // artifacts/bin/EventKit.Faults.Tests/<config>/ → artifacts/bin/EventKit.Sample.Host/<config>/
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(here.Parent!.Parent!.FullName, "EventKit.Sample.Host", here.Name, "EventKit.Sample.Host.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"The sample host is not built ({dll}): build tests/EventKit.Faults.Tests (it builds the host) or run ./eventkit build.");
        }
    }

    /// <summary>
    /// Starts the process and waits until <c>/health/live</c> answers (at most 60 s). A host that exits while starting
    /// (it stops when it cannot reach PostgreSQL within its connect timeout, which a loaded machine can exceed) is
    /// started again, as a supervisor would, up to three times.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await StartOnceAsync() is not { } exitCode)
            {
                return;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"The sample host exited with code {exitCode} three times while starting; its log: {_logPath}");
            }

            Write(_log, $"---- exited with code {exitCode} while starting (attempt {attempt}); starting again");
        }
    }

    /// <summary>Null once the host answers; its exit code when it stopped first.</summary>
    private async Task<int?> StartOnceAsync()
    {
        var dll = Dll;
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_logPath)!);
        _log ??= new StreamWriter(_logPath, append: true) { AutoFlush = true };
        var log = _log;
        lock (log)
        {
            log.WriteLine($"---- start {DateTime.UtcNow:O}");
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the sample host.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var exitCode = process.ExitCode;
                process.Dispose();
                _process = null;
                return exitCode;
            }

            try
            {
                using var response = await probe.GetAsync("health/live");
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The sample host did not answer /health/live within 60 s; its log: {_logPath}");
    }

    /// <summary>SIGKILL: no drain, no shutdown hooks, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Write(_log, $"---- SIGKILL {DateTime.UtcNow:O}");
        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM (the host drains its writer), SIGKILL after 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        _process = null;
        if (_log is not null)
        {
            await _log.DisposeAsync();
            _log = null;
        }
    }

    private static void Write(StreamWriter? log, string? line)
    {
        if (log is null || line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
