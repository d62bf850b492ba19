using EventKit.Monitoring;

namespace EventKit.Caching.Internal;

/// <summary>The <c>compact_l1</c> recovery action (rule <c>memory_high</c>): removes a quarter of L1's entries, least recently used first.</summary>
internal sealed class CompactL1Action(DefaultHybridCache cache) : IRecoveryAction
{
    public string Name => RecoveryActionNames.CompactL1;

    public ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        var (before, after) = cache.CompactL1();
        return ValueTask.FromResult(new RecoveryResult(true, $"Compacted L1 from {before} to {after} entries."));
    }
}
