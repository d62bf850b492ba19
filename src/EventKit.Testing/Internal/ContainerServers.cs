using System.Runtime.CompilerServices;

namespace EventKit.Testing.Internal;

/// <summary>Decides between a container and the environment's server, and words the error when neither is there.</summary>
internal static class ContainerServers
{
    /// <summary>The admin connection string of a PostgreSQL container, or <see langword="null"/> and why not.</summary>
    public static async Task<(string? Server, string? WhyNot)> PostgresAsync(EventKitTestingOptions options, CancellationToken cancellationToken)
    {
        var whyNot = await PrepareAsync(options, cancellationToken).ConfigureAwait(false);
        if (whyNot is not null)
        {
            return (null, whyNot);
        }

        return (await StartPostgresAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>The configuration string of a Redis container, or <see langword="null"/> and why not.</summary>
    public static async Task<(string? Server, string? WhyNot)> RedisAsync(EventKitTestingOptions options, CancellationToken cancellationToken)
    {
        var whyNot = await PrepareAsync(options, cancellationToken).ConfigureAwait(false);
        if (whyNot is not null)
        {
            return (null, whyNot);
        }

        return (await StartRedisAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false), null);
    }

    private static async Task<string?> PrepareAsync(EventKitTestingOptions options, CancellationToken cancellationToken)
    {
        if (!options.WantsContainers)
        {
            return $"containers were not asked for (EventKitTestingOptions.UseContainers, or {EventKitTestingOptions.UseContainersVariable}=1)";
        }

        var probe = await DockerEngine.ProbeAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (!probe.IsReachable)
        {
            return $"containers were asked for but no Docker engine is reachable: {probe.Reason}";
        }

        DockerEngine.PinApiVersion(probe);
        return null;
    }

    // Separate, non-inlined methods: the JIT must not meet a Testcontainers type before PinApiVersion ran.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<string> StartPostgresAsync(EventKitTestingOptions options)
        => SharedContainers.PostgresAsync(options.ResolvedPostgresImage, options);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<string> StartRedisAsync(EventKitTestingOptions options)
        => SharedContainers.RedisAsync(options.ResolvedRedisImage, options);

    /// <summary>The error for a fixture that found no server.</summary>
    public static InvalidOperationException NoServer(string server, string variable, string? configured, string whyNoContainer, Exception? inner)
    {
        var what = configured is null
            ? $"{variable} is not set"
            : $"the {server} server from {variable} (or the options) is not reachable ({inner?.GetType().Name}: {inner?.Message})";
        return new InvalidOperationException(
            $"EventKit.Testing has no {server}: {what}, and {whyNoContainer}. Either start local servers with " +
            $"`./eventkit services start` and export what `./eventkit services env` prints ({EventKitTestingOptions.PostgresVariable}, " +
            $"{EventKitTestingOptions.RedisVariable}), or set {variable} to a server of your own, or run with " +
            $"{EventKitTestingOptions.UseContainersVariable}=1 and a reachable Docker engine (images: `./eventkit images`).", inner);
    }
}
