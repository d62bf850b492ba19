using EventKit.Monitoring;

namespace EventKit.Storage.Internal;

/// <summary>
/// The <c>run_partition_maintenance</c> recovery action (built-in rule <c>partition_missing</c>): runs partition
/// maintenance now instead of at its next interval. One node at a time: a node that finds the advisory lock taken
/// reports that another node is running it.
/// </summary>
internal sealed class PartitionMaintenanceAction(PartitionMaintainer maintainer) : IRecoveryAction
{
    public string Name => RecoveryActionNames.RunPartitionMaintenance;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        var result = await maintainer.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ran)
        {
            return new RecoveryResult(false, "Another node holds the maintenance lock and is running it.");
        }

        return new RecoveryResult(true, result.Created.Count == 0
            ? "Partition maintenance ran; every wanted partition already existed."
            : $"Partition maintenance created {string.Join(", ", result.Created)} ({result.RescuedRows} rows moved out of the default partition).");
    }
}
