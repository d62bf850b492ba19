namespace EventKit;

/// <summary>Lists an event's BLE gateways for management, keyset-paged. Revoked gateways are not listed.</summary>
public interface IGatewayCatalog
{
    /// <summary>The event's unrevoked gateways in id order.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="limit">Page size, 1 to 1000.</param>
    /// <param name="after">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a cursor this listing issued.</exception>
    Task<Page<Gateway>> ListAsync(long eventId, int limit = 100, string? after = null, CancellationToken cancellationToken = default);
}
