using Microsoft.Extensions.Hosting;

namespace EventKit.Redis.Internal;

/// <summary>Makes the first connection attempt when the host starts; it never fails the start (readiness reports it).</summary>
internal sealed class RedisConnectionStarter(IRedisConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connection.ConnectAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
