using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using DotNet.Testcontainers.Containers;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;

namespace EventKit.Testing.Internal;

/// <summary>
/// One PostgreSQL and one Redis container per image for the whole test process: fixtures take a database or a key
/// prefix of their own in them, so a test class does not wait for a container start. Removed when the process exits:
/// without the resource reaper Testcontainers only stops a disposed container, so they are started with auto-remove.
/// </summary>
/// <remarks>
/// Only <see cref="ContainerServers"/> touches this type, after <see cref="DockerEngine.PinApiVersion"/> ran: Testcontainers
/// reads its configuration in static initialisers.
/// </remarks>
internal static class SharedContainers
{
    internal const string Label = "org.eventkit.testing";
    private const string PostgresUser = "eventkit";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Task<string>> Started = new(StringComparer.Ordinal);
    private static readonly List<IContainer> Containers = [];
    private static bool _exitHookInstalled;

    /// <summary>An admin connection string (database <c>postgres</c>) to the process's PostgreSQL container from <paramref name="image"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<string> PostgresAsync(string image, EventKitTestingOptions options)
        => GetOrStart("postgres|" + image, () => StartPostgresAsync(image, options));

    /// <summary>A StackExchange.Redis configuration string for the process's Redis container from <paramref name="image"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<string> RedisAsync(string image, EventKitTestingOptions options)
        => GetOrStart("redis|" + image, () => StartRedisAsync(image, options));

    private static Task<string> GetOrStart(string key, Func<Task<string>> start)
    {
        lock (Gate)
        {
            if (Started.TryGetValue(key, out var existing) && !existing.IsFaulted && !existing.IsCanceled)
            {
                return existing;
            }

            if (!_exitHookInstalled)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
                _exitHookInstalled = true;
            }

            // A failed start is not cached: the next fixture tries again and reports its own failure.
            var task = Task.Run(start);
            Started[key] = task;
            return task;
        }
    }

    private static async Task<string> StartPostgresAsync(string image, EventKitTestingOptions options)
    {
        var container = new PostgreSqlBuilder(image)
            .WithUsername(PostgresUser)
            .WithPassword(Convert.ToHexString(RandomNumberGenerator.GetBytes(12)))
            .WithDatabase("postgres")
            .WithLabel(Label, "postgres")
            .WithCleanUp(options.UseResourceReaper)
            .WithAutoRemove(true)
            .Build();
        await StartAsync(container, image, options).ConfigureAwait(false);
        return container.GetConnectionString();
    }

    private static async Task<string> StartRedisAsync(string image, EventKitTestingOptions options)
    {
        var container = new RedisBuilder(image)
            .WithLabel(Label, "redis")
            .WithCleanUp(options.UseResourceReaper)
            .WithAutoRemove(true)
            .Build();
        await StartAsync(container, image, options).ConfigureAwait(false);
        return container.GetConnectionString();
    }

    private static async Task StartAsync(IContainer container, string image, EventKitTestingOptions options)
    {
        lock (Gate)
        {
            Containers.Add(container);
        }

        using var timeout = new CancellationTokenSource(options.ContainerStartTimeout);
        try
        {
            await container.StartAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lock (Gate)
            {
                Containers.Remove(container);
            }

            await container.DisposeAsync().ConfigureAwait(false);
            var why = timeout.IsCancellationRequested ? $"it was not ready within {options.ContainerStartTimeout:c} (ContainerStartTimeout)" : $"{e.GetType().Name}: {e.Message}";
            throw new InvalidOperationException(
                $"EventKit.Testing could not start a container from the image '{image}': {why}. " +
                $"Build the images with `./eventkit images` (they are not pulled from a registry), or name another image " +
                $"with EventKitTestingOptions.PostgresImage/RedisImage or {EventKitTestingOptions.PostgresImageVariable}/{EventKitTestingOptions.RedisImageVariable}.", e);
        }
    }

    private static void RemoveAll()
    {
        IContainer[] containers;
        lock (Gate)
        {
            containers = [.. Containers];
            Containers.Clear();
        }

        // The process is exiting: block, but not forever.
        var removals = containers.Select(c => c.DisposeAsync().AsTask()).ToArray();
        try
        {
            Task.WaitAll(removals, TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Nothing can be reported at exit; the label finds leftovers (docker ps --filter label=org.eventkit.testing).
        }
    }
}
