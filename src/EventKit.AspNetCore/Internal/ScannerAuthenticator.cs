using System.Collections.Concurrent;
using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Authenticates <c>X-Scanner-Key</c> against <see cref="IScannerRegistry"/>: a key not in the issued format is refused
/// without any lookup; known scanners are cached for a short time (hits only, bounded), so a revoked or rotated key is
/// refused on every node within <see cref="Freshness"/>.
/// </summary>
internal sealed class ScannerAuthenticator(IServiceProvider services, TimeProvider time, IOptions<EventKitOptions> eventKit, CredentialHasher hasher)
{
    /// <summary>How long a looked-up scanner is trusted before it is read again.</summary>
    internal static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    /// <summary>The most scanners kept; beyond that, lookups are not cached.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    // One lookup per scanner at a time: a burst of scans from a scanner not cached yet costs one query, not one each.
    private readonly SingleFlight<long, Scanner?> _lookups = new();

    /// <summary>Scanners currently cached.</summary>
    internal int Count => _entries.Count;

    /// <summary>The scanner whose key <paramref name="apiKey"/> is, if it belongs to this node's event and is not revoked.</summary>
    public async ValueTask<Scanner?> AuthenticateAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey) || !ScannerKey.TryGetScannerId(apiKey, out var scannerId))
        {
            return null;
        }

        var now = time.GetUtcNow();
        Scanner? scanner;
        var cached = _entries.TryGetValue(scannerId, out var entry);
        if (cached && entry!.FetchedAt + Freshness >= now)
        {
            scanner = entry.Scanner;
        }
        else
        {
            try
            {
                scanner = await LookUpAsync(scannerId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cached && !cancellationToken.IsCancellationRequested)
            {
                // Storage is down: a scanner known a moment ago keeps working (the check-in itself then answers 503 or
                // is admitted by the claims); unknown keys still need the database.
                scanner = entry!.Scanner;
                now = entry.FetchedAt;
            }

            if (scanner is null || scanner.Revoked || scanner.EventId != eventKit.Value.EventId)
            {
                // Misses are never cached: attacker-chosen ids leave nothing behind.
                _entries.TryRemove(scannerId, out _);
                return null;
            }

            if (_entries.Count < MaxEntries || _entries.ContainsKey(scannerId))
            {
                _entries[scannerId] = new Entry(scanner, now);
            }
        }

        var current = hasher.Compute(apiKey);
        if (KeyHashes.Match(scanner.ApiKeyHash, current))
        {
            return scanner;
        }

        // A key stored under an older scheme (before the pepper, or under the previous one) is accepted once more and re-hashed.
        foreach (var outdated in hasher.ComputeOutdated(apiKey))
        {
            if (KeyHashes.Match(scanner.ApiKeyHash, outdated))
            {
                if (services.GetService(typeof(ICredentialHashMigration)) is ICredentialHashMigration migration)
                {
                    try
                    {
                        await migration.UpgradeScannerKeyHashAsync(scannerId, outdated, current, cancellationToken).ConfigureAwait(false);
                        Forget(scannerId);
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Storage is away: the key still authenticates, and the next use tries the re-hash again.
                    }
                }

                return scanner;
            }
        }

        return null;
    }

    private Task<Scanner?> LookUpAsync(long scannerId, CancellationToken cancellationToken)
    {
        var registry = (IScannerRegistry?)services.GetService(typeof(IScannerRegistry))
            ?? throw new InvalidOperationException("No IScannerRegistry is registered: add a storage package (for example .AddPostgresStorage()).");
        return _lookups.RunAsync(scannerId, registry, static (id, r) => r.GetAsync(id, CancellationToken.None), cancellationToken);
    }

    /// <summary>Drops a scanner from this node's cache (after a rotation or revocation made here).</summary>
    public void Forget(long scannerId) => _entries.TryRemove(scannerId, out _);

    private sealed record Entry(Scanner Scanner, DateTimeOffset FetchedAt);
}
