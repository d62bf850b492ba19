using System.Security.Cryptography;

namespace EventKit.AspNetCore.Internal;

/// <summary>Compares key hashes in constant time.</summary>
internal static class KeyHashes
{
    public static bool Match(CredentialHash stored, CredentialHash presented)
    {
        Span<byte> expected = stackalloc byte[CredentialHash.Length];
        Span<byte> actual = stackalloc byte[CredentialHash.Length];
        stored.CopyTo(expected);
        presented.CopyTo(actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
