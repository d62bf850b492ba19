using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EventKit.Testing;
using Npgsql;

namespace EventKit.Dashboard.Tests;

/// <summary>
/// <c>./eventkit demo</c> stopped by a signal (Ctrl+C, <c>kill</c>, a CI timeout) takes its sample host with it: the
/// built load tool runs as a child process of the test, and the host it starts must be gone after the tool got SIGTERM.
/// </summary>
public sealed partial class LoadToolSignalTests
{
    [Fact]
    public async Task Sigterm_to_the_load_tool_stops_the_sample_host_it_started()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

        // artifacts/bin/EventKit.Dashboard.Tests/<config>/ → artifacts/bin/EventKit.LoadTest/<config>/
        var tool = Path.Combine(here.Parent!.Parent!.FullName, "EventKit.LoadTest", here.Name, "EventKit.LoadTest.dll");
        Assert.True(File.Exists(tool), $"The load tool is not built ({tool}): build tests/EventKit.Dashboard.Tests (it builds the tool) or run ./eventkit build.");
        var postgres = Environment.GetEnvironmentVariable("EVENTKIT_POSTGRES");
        Assert.False(string.IsNullOrEmpty(postgres), "EVENTKIT_POSTGRES is not set: eval \"$(./eventkit services env)\".");
        var database = $"ek_signal_{Guid.NewGuid():N}"[..24];

        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { tool, "demo", "--port", FreePort().ToString(CultureInfo.InvariantCulture), "--database", database, "--participants", "50", "--gates", "2", "--connections", "2", "--ble-phones", "0", "--duration", "600" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var loadTool = Process.Start(info)!;
        var output = new StringBuilder();
        var hostPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (HostPid().Match(output.ToString()) is { Success: true } match)
                {
                    hostPid.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                }
            }
        }

        loadTool.OutputDataReceived += (_, e) => Read(e.Data);
        loadTool.ErrorDataReceived += (_, e) => Read(e.Data);
        loadTool.BeginOutputReadLine();
        loadTool.BeginErrorReadLine();
        Process? host = null;
        try
        {
            var pid = await hostPid.Task.WaitAsync(TimeSpan.FromMinutes(3));
            host = Process.GetProcessById(pid);
            Assert.False(host.HasExited);

            using (var term = Process.Start("kill", ["-TERM", loadTool.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await loadTool.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => host.HasExited, $"the sample host (pid {pid}) stopped with the load tool", TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new Xunit.Sdk.XunitException($"{e.Message}\nLoad tool output:\n{text}");
        }
        finally
        {
            if (!loadTool.HasExited)
            {
                loadTool.Kill(entireProcessTree: true);
            }

            if (host is { HasExited: false })
            {
                host.Kill();
            }

            host?.Dispose();
            await using var admin = NpgsqlDataSource.Create(postgres!);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // "Sample host up at http://127.0.0.1:5080/ (pid 1234, log …)", possibly wrapped by the console width.
    [GeneratedRegex(@"Sample host up at\s.*?\(pid\s+(\d+),", RegexOptions.Singleline)]
    private static partial Regex HostPid();
}
