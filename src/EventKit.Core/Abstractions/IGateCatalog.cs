namespace EventKit;

/// <summary>Lists an event's gates for management, keyset-paged (newest state from the store, not the cache).</summary>
public interface IGateCatalog
{
    /// <summary>The event's gates in id order.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="limit">Page size, 1 to 1000.</param>
    /// <param name="after">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a cursor this listing issued.</exception>
    Task<Page<Gate>> ListAsync(long eventId, int limit = 100, string? after = null, CancellationToken cancellationToken = default);
}
