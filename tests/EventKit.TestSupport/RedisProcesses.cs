using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EventKit.Testing;

/// <summary>What the dedicated Redis servers of the tests share: starting <c>redis-server</c>, killing it, free ports, temp folders.</summary>
internal static class RedisProcesses
{
    /// <summary>Starts <c>redis-server</c> with <paramref name="arguments"/>, its output drained.</summary>
    public static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"redis-server is not installed. Install it with: {TestServers.StartCommand} (or apt-get install redis-server).", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the process (as a crash would) and waits for it to exit.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>Deletes a temp folder; one left behind is harmless.</summary>
    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
