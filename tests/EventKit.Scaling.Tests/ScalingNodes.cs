using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventKit.Scaling.Tests;

/// <summary>Scaling nodes for tests: in-process hosts and killable child processes, all on the fixture's key prefix.</summary>
internal static class ScalingNodes
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(300);

    public static IHost Host(RedisFixture redis, string nodeId, Action<ScalingOptions>? configure = null, string? redisConfiguration = null, TimeProvider? time = null, string scope = "scaling", Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddEventKit()
            .AddRedis(o => o.Configuration = redisConfiguration ?? redis.Configuration)
            .AddScaling(o =>
            {
                o.NodeId = nodeId;
                o.KeyPrefix = redis.KeyPrefix + scope + ":";
                o.HeartbeatInterval = Heartbeat;
                o.LeaseDuration = TimeSpan.FromSeconds(5);
                o.EvaluationInterval = TimeSpan.FromMilliseconds(300);
                configure?.Invoke(o);
            });
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Starts EventKit.Scaling.TestNode as a child process (the same options as <see cref="Host"/>).</summary>
    public static Process StartProcess(RedisFixture redis, string nodeId, TimeSpan lease, string scope = "scaling")
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EventKit.Scaling.TestNode.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "exec", dll, redis.Configuration, redis.KeyPrefix + scope + ":", nodeId,
            ((int)Heartbeat.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ((int)lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
