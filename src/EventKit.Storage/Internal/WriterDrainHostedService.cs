using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.Hosting;

namespace EventKit.Storage.Internal;

/// <summary>Drains the attendance writer when the host stops, within the host's shutdown timeout.</summary>
internal sealed class WriterDrainHostedService(GroupCommitAttendanceWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => writer.DrainAsync(cancellationToken);
}
