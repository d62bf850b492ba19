namespace EventKit.Monitoring;

/// <summary>
/// Something that looks for optimisations: the built-in <c>runtime</c> source reads the monitor's windows (cache hit
/// ratio, connection-pool waits, slow queries); EventKit.AspNetCore adds <c>query_analyzer</c> (EventKit.Storage's
/// <c>QueryAnalyzer</c>: plans, indexes, dead rows, partitions). Register more with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;ISuggestionSource, MySource&gt;())</c>.
/// </summary>
public interface ISuggestionSource
{
    /// <summary>The source's name, shown with each suggestion (<c>runtime</c>).</summary>
    string Name { get; }

    /// <summary>Looks now.</summary>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>Everything found now (an empty list clears the source's earlier suggestions), or <see langword="null"/> when it could not look this time (another node is analysing): its earlier suggestions stay and the run is retried sooner.</returns>
    ValueTask<IReadOnlyList<SuggestionFinding>?> FindAsync(CancellationToken cancellationToken);
}
