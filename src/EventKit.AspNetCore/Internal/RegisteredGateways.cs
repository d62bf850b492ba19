using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using EventKit.Gates.Ble;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Authenticates gateways against <see cref="IGatewayRegistry"/> (SHA-256 of the presented key,
/// compared in constant time) and answers <see cref="IBleGatewayDirectory"/> from the same
/// in-memory entries, so a report costs no database round trip once its gateway is known.
/// </summary>
internal sealed class RegisteredGateways(IServiceProvider services, TimeProvider time) : IBleGatewayDirectory
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    /// <summary>The gateway's gate when <paramref name="apiKey"/> is its key; otherwise <see langword="null"/>.</summary>
    public async ValueTask<long?> AuthenticateAsync(long gatewayId, string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey) || CredentialHash.Validate(apiKey) is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(gatewayId, out var entry) || entry.FetchedAt + Freshness < now)
        {
            var registry = (IGatewayRegistry?)services.GetService(typeof(IGatewayRegistry))
                ?? throw new InvalidOperationException("No IGatewayRegistry is registered: add a storage package (for example .AddPostgresStorage()).");
            var gateway = await registry.GetAsync(gatewayId, cancellationToken).ConfigureAwait(false);
            entry = new Entry(gateway, now);
            _entries[gatewayId] = entry;
        }

        if (entry.Gateway is not { } known)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[CredentialHash.Length];
        Span<byte> presented = stackalloc byte[CredentialHash.Length];
        known.ApiKeyHash.CopyTo(expected);
        CredentialHash.Compute(apiKey).CopyTo(presented);
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? known.GateId : null;
    }

    public bool TryGetGate(string gatewayId, out long gateId)
    {
        if (long.TryParse(gatewayId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _entries.TryGetValue(id, out var entry) && entry.Gateway is { } gateway)
        {
            gateId = gateway.GateId;
            return true;
        }

        gateId = 0;
        return false;
    }

    private sealed record Entry(Gateway? Gateway, DateTimeOffset FetchedAt);
}
