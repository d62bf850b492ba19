using System.Text;

namespace EventKit.Gates.Ble;

/// <summary>An Eddystone-URL frame.</summary>
public readonly ref struct EddystoneUrlFrame
{
    private static readonly string[] Schemes = ["http://www.", "https://www.", "http://", "https://"];
    private static readonly string[] Expansions =
    [
        ".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/",
        ".com", ".org", ".edu", ".net", ".info", ".biz", ".gov",
    ];

    internal EddystoneUrlFrame(sbyte txPowerAt0m, byte scheme, ReadOnlySpan<byte> encodedUrl)
    {
        TxPowerAt0m = txPowerAt0m;
        Scheme = scheme;
        EncodedUrl = encodedUrl;
    }

    /// <summary>The calibrated Tx power at 0 m in dBm.</summary>
    public sbyte TxPowerAt0m { get; }

    /// <summary>The URL scheme prefix code (0 <c>http://www.</c>, 1 <c>https://www.</c>, 2 <c>http://</c>, 3 <c>https://</c>).</summary>
    public byte Scheme { get; }

    /// <summary>The encoded URL after the scheme byte.</summary>
    public ReadOnlySpan<byte> EncodedUrl { get; }

    /// <summary>Expands the URL (allocates the string; not for hot paths).</summary>
    /// <returns><see langword="false"/> for an unknown scheme or a byte that is not printable ASCII or an expansion code.</returns>
    public bool TryDecode(out string url)
    {
        url = string.Empty;
        if (Scheme >= Schemes.Length)
        {
            return false;
        }

        var builder = new StringBuilder(Schemes[Scheme]);
        foreach (var b in EncodedUrl)
        {
            if (b < Expansions.Length)
            {
                builder.Append(Expansions[b]);
            }
            else if (b is > 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                return false;
            }
        }

        url = builder.ToString();
        return true;
    }
}
