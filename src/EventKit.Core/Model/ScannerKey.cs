using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace EventKit;

/// <summary>The format of scanner API keys: <c>eks_{id}_{secret}</c>, the secret being 32 random bytes in base64url (43 characters).</summary>
/// <remarks>A presented key that does not have this exact shape is refused before any lookup.</remarks>
public static class ScannerKey
{
    /// <summary>The prefix of every scanner key.</summary>
    public const string Prefix = "eks_";

    private const int SecretLength = 43;

    /// <summary>Creates a new key for scanner <paramref name="scannerId"/> from 256 fresh random bits.</summary>
    public static string Create(long scannerId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scannerId);
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        var key = Prefix + scannerId.ToString(CultureInfo.InvariantCulture) + "_" + Base64Url.EncodeToString(secret);
        secret.Clear();
        return key;
    }

    /// <summary>Reads the scanner id out of a presented key, checking its shape only (not the secret).</summary>
    /// <returns><see langword="false"/> if <paramref name="key"/> is not in the issued format.</returns>
    public static bool TryGetScannerId(ReadOnlySpan<char> key, out long scannerId)
    {
        scannerId = 0;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key[Prefix.Length..];
        var separator = rest.IndexOf('_');
        if (separator is < 1 or > 19 || rest.Length - separator - 1 != SecretLength)
        {
            return false;
        }

        foreach (var c in rest[(separator + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return long.TryParse(rest[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out scannerId) && scannerId > 0;
    }
}
