using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EventKit.Scaling;

/// <summary>Rendezvous (highest-random-weight) hashing: the owner of a key is the node with the highest hash of (node, key).</summary>
public static class RendezvousHash
{
    /// <summary>The owner of <paramref name="key"/> among <paramref name="nodeIds"/>.</summary>
    /// <param name="key">The key (a gate id).</param>
    /// <param name="nodeIds">The candidate nodes.</param>
    /// <returns>The owner, or <see langword="null"/> when there is no node.</returns>
    public static string? Owner(long key, IEnumerable<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        string? best = null;
        ulong bestWeight = 0;
        foreach (var node in nodeIds)
        {
            var weight = Weight(node, key);
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(node, best) < 0))
            {
                best = node;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>The weight of <paramref name="nodeId"/> for <paramref name="key"/> (XxHash64 of the key and the node id).</summary>
    /// <param name="nodeId">The node.</param>
    /// <param name="key">The key.</param>
    /// <returns>The weight.</returns>
    public static ulong Weight(string nodeId, long key)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        Span<byte> buffer = stackalloc byte[8 + Encoding.UTF8.GetMaxByteCount(nodeId.Length)];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, key);
        var length = 8 + Encoding.UTF8.GetBytes(nodeId, buffer[8..]);
        return XxHash64.HashToUInt64(buffer[..length]);
    }
}
