namespace EventKit;

/// <summary>The audit log of management changes: who changed what, when, from which status to which.</summary>
/// <remarks>Implemented by EventKit.Storage (table <c>audit_log</c>); the HTTP API writes an entry after each management change.</remarks>
public interface IAuditLog
{
    /// <summary>Records a change.</summary>
    /// <exception cref="ArgumentException">A field is empty or too long, or a value is not a JSON object.</exception>
    Task AppendAsync(AuditChange change, CancellationToken cancellationToken = default);

    /// <summary>An event's entries, newest first, keyset-paged.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="limit">Page size, 1 to 1,000.</param>
    /// <param name="after">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a cursor this read issued.</exception>
    Task<Page<AuditEntry>> ReadAsync(long eventId, int limit = 100, string? after = null, CancellationToken cancellationToken = default);
}
