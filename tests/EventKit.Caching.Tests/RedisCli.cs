using System.Diagnostics;
using System.Globalization;

namespace EventKit.Caching.Tests;

/// <summary>Runs <c>redis-cli</c> against a dedicated server (<c>CLIENT PAUSE</c>: Redis keeps its data but answers nobody).</summary>
internal static class RedisCli
{
    public static async Task RunAsync(int port, params string[] arguments)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Assert.Equal("OK", (await process.StandardOutput.ReadToEndAsync()).Trim());
        await process.WaitForExitAsync();
    }
}
