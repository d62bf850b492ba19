namespace EventKit;

/// <summary>Full-text search over participants' names and e-mail addresses, keyset-paged.</summary>
public interface IParticipantSearch
{
    /// <summary>Searches an event's participants.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="query">Words to find; every word must match the start of a word in the name or e-mail.</param>
    /// <param name="limit">Page size, 1 to 1000.</param>
    /// <param name="after">The previous page's cursor, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    Task<Page<Participant>> SearchAsync(long eventId, string query, int limit = 20, string? after = null, CancellationToken cancellationToken = default);
}
