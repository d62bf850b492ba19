using System.Buffers;

namespace EventKit.Gates.Ble;

/// <summary>The sightings a reader produced from one report, with the advert bytes in pooled memory.</summary>
/// <remarks>Reuse one batch across reports (<see cref="Clear"/>) to avoid allocating; dispose it to return its buffers.
/// Not thread-safe.</remarks>
public sealed class BleSightingBatch : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private BleSighting[] _sightings = ArrayPool<BleSighting>.Shared.Rent(64);
    private int _chunkUsed;
    private int _count;

    /// <summary>The sightings read so far.</summary>
    public ReadOnlySpan<BleSighting> Sightings => _sightings.AsSpan(0, _count);

    /// <summary>How many sightings were read.</summary>
    public int Count => _count;

    /// <summary>Lines, tags or reports that were malformed and skipped.</summary>
    public int Rejected { get; internal set; }

    /// <summary>The report's replay nonce (Ruuvi <c>nonce</c>), if it had one.</summary>
    public ulong? Nonce { get; internal set; }

    /// <summary>Empties the batch, keeping its buffers for the next report.</summary>
    public void Clear()
    {
        // Keep the first chunk; return the rest so one huge report does not pin memory forever.
        for (var i = _chunks.Count - 1; i >= 1; i--)
        {
            ArrayPool<byte>.Shared.Return(_chunks[i]);
            _chunks.RemoveAt(i);
        }

        Array.Clear(_sightings, 0, _count);
        _chunkUsed = 0;
        _count = 0;
        Rejected = 0;
        Nonce = null;
    }

    /// <summary>Adds a sighting, copying <paramref name="advert"/> into the batch's memory.</summary>
    public void Add(string gatewayId, ulong mac, short rssi, long timestampMs, ReadOnlySpan<byte> advert)
    {
        var memory = Reserve(advert.Length);
        advert.CopyTo(memory.Span);
        Add(new BleSighting(gatewayId, mac, rssi, timestampMs, memory));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        if (_sightings.Length > 0)
        {
            ArrayPool<BleSighting>.Shared.Return(_sightings, clearArray: true);
            _sightings = [];
        }

        _count = 0;
    }

    internal void Add(BleSighting sighting)
    {
        if (_count == _sightings.Length)
        {
            var larger = ArrayPool<BleSighting>.Shared.Rent(Math.Max(64, _sightings.Length * 2));
            _sightings.AsSpan(0, _count).CopyTo(larger);
            if (_sightings.Length > 0)
            {
                ArrayPool<BleSighting>.Shared.Return(_sightings, clearArray: true);
            }

            _sightings = larger;
        }

        _sightings[_count++] = sighting;
    }

    /// <summary>Reserves <paramref name="length"/> bytes that stay valid until <see cref="Clear"/> or <see cref="Dispose"/>.</summary>
    internal Memory<byte> Reserve(int length)
    {
        // Chunks are never moved or returned while sightings point into them.
        if (_chunks.Count == 0 || _chunks[^1].Length - _chunkUsed < length)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, length)));
            _chunkUsed = 0;
        }

        var memory = _chunks[^1].AsMemory(_chunkUsed, length);
        _chunkUsed += length;
        return memory;
    }

    /// <summary>Gives back the unused tail of the last reservation (hex that turned out shorter or invalid).</summary>
    internal void Unreserve(int length) => _chunkUsed -= length;
}
