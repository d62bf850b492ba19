using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EventKit;

/// <summary>The 32-byte hash of a credential token: the only form in which EventKit stores, caches or compares tokens.</summary>
/// <remarks>
/// Nodes hash with <see cref="CredentialHasher"/> (HMAC-SHA256 under the configured pepper); <see cref="Compute"/> is the
/// plain SHA-256 of the scheme before the pepper (hash version 0). A slow password hash would only slow every scan:
/// tokens must be long enough instead (<see cref="EventKitSecurityOptions.MinimumTokenLength"/>). Equality is by value.
/// </remarks>
public readonly struct CredentialHash : IEquatable<CredentialHash>
{
    /// <summary>The hash length in bytes.</summary>
    public const int Length = 32;

    /// <summary>The longest token accepted, in characters.</summary>
    public const int MaxTokenLength = 256;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private CredentialHash(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(hash);
        _b = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(hash[24..]);
    }

    /// <summary>The plain SHA-256 of a token (its UTF-8 bytes): hash version 0. Nodes use <see cref="CredentialHasher.Compute"/>.</summary>
    /// <param name="token">The token; 1 to <see cref="MaxTokenLength"/> characters, no control characters.</param>
    /// <exception cref="ArgumentException">The token breaks the rules above.</exception>
    public static CredentialHash Compute(ReadOnlySpan<char> token)
    {
        var problem = Validate(token);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(token));
        }

        Span<byte> utf8 = stackalloc byte[MaxTokenLength * 3];
        var written = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[Length];
        SHA256.HashData(utf8[..written], hash);
        utf8[..written].Clear();
        return new CredentialHash(hash);
    }

    /// <summary>Checks a token without hashing it.</summary>
    /// <returns><see langword="null"/> when the token is acceptable, otherwise why not (never containing the token).</returns>
    public static string? Validate(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.IsWhiteSpace())
        {
            return "The credential is empty.";
        }

        if (token.Length > MaxTokenLength)
        {
            return $"The credential is longer than {MaxTokenLength} characters.";
        }

        foreach (var c in token)
        {
            if (char.IsControl(c))
            {
                return "The credential contains a control character.";
            }
        }

        return null;
    }

    /// <summary>Wraps an existing 32-byte hash (for example, one read from storage).</summary>
    /// <exception cref="ArgumentException"><paramref name="hash"/> is not 32 bytes long.</exception>
    public static CredentialHash FromBytes(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Length)
        {
            throw new ArgumentException($"A credential hash is {Length} bytes (was {hash.Length}).", nameof(hash));
        }

        return new CredentialHash(hash);
    }

    /// <summary>Writes the 32 hash bytes to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination needs {Length} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 hash bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The hash as 64 lowercase hex digits: safe to use in cache keys and logs.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc/>
    public bool Equals(CredentialHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CredentialHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    /// <summary>Value equality.</summary>
    public static bool operator ==(CredentialHash left, CredentialHash right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(CredentialHash left, CredentialHash right) => !left.Equals(right);
}
