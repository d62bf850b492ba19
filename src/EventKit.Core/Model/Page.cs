namespace EventKit;

/// <summary>One page of a keyset-paginated read.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items, in the read's order.</param>
/// <param name="NextCursor">An opaque cursor for the next page, or <see langword="null"/> when this is the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
