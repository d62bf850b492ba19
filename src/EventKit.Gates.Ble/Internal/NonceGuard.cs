namespace EventKit.Gates.Ble.Internal;

/// <summary>Remembers the last <c>capacity</c> Ruuvi nonces of each gateway so a replayed report is ignored.</summary>
/// <remarks>Only gateways the directory knows reach this, so the number of gateways is bounded by configuration, and each
/// gateway's memory by the capacity (oldest forgotten first).</remarks>
internal sealed class NonceGuard(int capacity)
{
    private readonly Dictionary<string, Window> _gateways = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <returns><see langword="false"/> if the gateway sent this nonce before.</returns>
    public bool TryAccept(string gatewayId, ulong nonce)
    {
        lock (_gate)
        {
            if (!_gateways.TryGetValue(gatewayId, out var window))
            {
                window = new Window();
                _gateways.Add(gatewayId, window);
            }

            if (!window.Seen.Add(nonce))
            {
                return false;
            }

            window.Order.Enqueue(nonce);
            if (window.Order.Count > capacity)
            {
                window.Seen.Remove(window.Order.Dequeue());
            }

            return true;
        }
    }

    private sealed class Window
    {
        public HashSet<ulong> Seen { get; } = [];

        public Queue<ulong> Order { get; } = new();
    }
}
