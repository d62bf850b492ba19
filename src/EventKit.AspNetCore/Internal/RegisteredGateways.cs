using System.Collections.Concurrent;
using System.Globalization;
using EventKit.Gates.Ble;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Authenticates gateways against <see cref="IGatewayRegistry"/> (<see cref="CredentialHasher"/> hash of the presented key,
/// compared in constant time) and answers <see cref="IBleGatewayDirectory"/> from the same
/// in-memory entries, so a report costs no database round trip once its gateway is known.
/// Keys not in the issued format (43 base64url characters) are refused without a lookup; only known gateways are
/// cached (at most <see cref="MaxEntries"/>, for <see cref="Freshness"/>), so a revoked or re-keyed gateway is refused
/// on every node within that time and attacker-chosen ids leave nothing behind.
/// </summary>
internal sealed class RegisteredGateways(IServiceProvider services, TimeProvider time, Microsoft.Extensions.Options.IOptions<EventKitOptions> eventKit, CredentialHasher hasher) : IBleGatewayDirectory
{
    /// <summary>How long a looked-up gateway is trusted before it is read again.</summary>
    internal static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    /// <summary>The most gateways kept; beyond that, lookups are not cached.</summary>
    internal const int MaxEntries = 10_000;

    private const int IssuedKeyLength = 43;
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    /// <summary>Gateways currently cached.</summary>
    internal int Count => _entries.Count;

    /// <summary>Whether <paramref name="apiKey"/> has the shape of an issued gateway key (32 bytes in base64url).</summary>
    internal static bool IsIssuedFormat(string? apiKey)
    {
        if (apiKey is not { Length: IssuedKeyLength })
        {
            return false;
        }

        foreach (var c in apiKey)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Drops a gateway from this node's cache (after a rotation or revocation made here).</summary>
    public void Forget(long gatewayId) => _entries.TryRemove(gatewayId, out _);

    /// <summary>The gateway's gate when <paramref name="apiKey"/> is its key; otherwise <see langword="null"/>.</summary>
    public async ValueTask<long?> AuthenticateAsync(long gatewayId, string? apiKey, CancellationToken cancellationToken)
    {
        if (!IsIssuedFormat(apiKey) || gatewayId <= 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        Gateway? known;
        if (_entries.TryGetValue(gatewayId, out var entry) && entry.FetchedAt + Freshness >= now)
        {
            known = entry.Gateway;
        }
        else
        {
            var registry = (IGatewayRegistry?)services.GetService(typeof(IGatewayRegistry))
                ?? throw new InvalidOperationException("No IGatewayRegistry is registered: add a storage package (for example .AddPostgresStorage()).");
            known = await registry.GetAsync(gatewayId, cancellationToken).ConfigureAwait(false);
            if (known is null || known.EventId != eventKit.Value.EventId)
            {
                _entries.TryRemove(gatewayId, out _);
                return null;
            }

            if (_entries.Count < MaxEntries || _entries.ContainsKey(gatewayId))
            {
                _entries[gatewayId] = new Entry(known, now);
            }
        }

        var current = hasher.Compute(apiKey!);
        if (KeyHashes.Match(known.ApiKeyHash, current))
        {
            return known.GateId;
        }

        // A key stored under an older scheme (before the pepper, or under the previous one) is accepted once more and re-hashed.
        foreach (var outdated in hasher.ComputeOutdated(apiKey!))
        {
            if (KeyHashes.Match(known.ApiKeyHash, outdated))
            {
                if (services.GetService(typeof(ICredentialHashMigration)) is ICredentialHashMigration migration)
                {
                    try
                    {
                        await migration.UpgradeGatewayKeyHashAsync(gatewayId, outdated, current, cancellationToken).ConfigureAwait(false);
                        Forget(gatewayId);
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Storage is away: the key still authenticates, and the next use tries the re-hash again.
                    }
                }

                return known.GateId;
            }
        }

        return null;
    }

    public bool TryGetGate(string gatewayId, out long gateId)
    {
        if (long.TryParse(gatewayId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _entries.TryGetValue(id, out var entry))
        {
            gateId = entry.Gateway.GateId;
            return true;
        }

        gateId = 0;
        return false;
    }

    private sealed record Entry(Gateway Gateway, DateTimeOffset FetchedAt);
}
