using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>
/// Hashes credentials (participant tokens, scanner and gateway keys) the way this node stores and looks them up:
/// HMAC-SHA256 keyed with <see cref="EventKitSecurityOptions.CredentialPepper"/>, or plain SHA-256 when no pepper is set.
/// </summary>
/// <remarks>
/// Every stored hash carries a version: 0 for plain SHA-256, otherwise the pepper's <see cref="VersionOf"/>. Hashes of an
/// older version (made before a pepper was set, or under <see cref="EventKitSecurityOptions.PreviousCredentialPepper"/>)
/// are found through <see cref="ComputeOutdated"/> and re-hashed on their first successful use.
/// </remarks>
public sealed class CredentialHasher
{
    // One keyed HMAC per thread, reused: the one-shot HMACSHA256.HashData sets up (and with OpenSSL 3 looks up) a new MAC
    // context for every call, which on a check-in (scanner key + participant token) cost more than the hashing itself.
    [ThreadStatic]
    private static ReusableHmac? t_hmac;

    private readonly byte[]? _pepper;
    private readonly byte[]? _previousPepper;

    /// <summary>Creates the hasher from the node's options.</summary>
    /// <param name="options">The EventKit options; <see cref="EventKitOptions.Security"/> supplies the peppers.</param>
    public CredentialHasher(IOptions<EventKitOptions> options)
        : this(options?.Value.Security.CredentialPepper, options?.Value.Security.PreviousCredentialPepper)
    {
    }

    /// <summary>Creates a hasher for a pepper (tools and tests; hosts get theirs from dependency injection).</summary>
    /// <param name="pepper">The pepper, or <see langword="null"/> for plain SHA-256.</param>
    /// <param name="previousPepper">A previous pepper whose hashes are still recognised, or <see langword="null"/>.</param>
    public CredentialHasher(string? pepper, string? previousPepper = null)
    {
        _pepper = pepper is null ? null : Encoding.UTF8.GetBytes(pepper);
        _previousPepper = previousPepper is null ? null : Encoding.UTF8.GetBytes(previousPepper);
        Version = pepper is null ? (short)0 : VersionOf(pepper);
    }

    /// <summary>Whether hashes are keyed with a pepper (otherwise they are plain SHA-256).</summary>
    public bool IsPeppered => _pepper is not null;

    /// <summary>The version stored with the hashes this hasher makes: 0 for plain SHA-256, otherwise the pepper's <see cref="VersionOf"/>.</summary>
    public short Version { get; }

    /// <summary>Whether older hashes (plain SHA-256 or a previous pepper's) may still be stored and need <see cref="ComputeOutdated"/>.</summary>
    public bool HasOutdatedSchemes => _pepper is not null;

    /// <summary>The hash version of <paramref name="pepper"/>: 1 to 32,767, derived from the pepper (so no second setting can disagree with it).</summary>
    public static short VersionOf(string pepper)
    {
        ArgumentNullException.ThrowIfNull(pepper);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(pepper), digest);
        return (short)(1 + (BinaryPrimitives.ReadUInt16BigEndian(digest) % short.MaxValue));
    }

    /// <summary>The hash of <paramref name="token"/> in the current scheme.</summary>
    /// <exception cref="ArgumentException">The token is empty, too long or has control characters (<see cref="CredentialHash.Validate"/>).</exception>
    public CredentialHash Compute(ReadOnlySpan<char> token) => _pepper is null ? CredentialHash.Compute(token) : Hmac(_pepper, token);

    /// <summary>The hashes <paramref name="token"/> may have been stored under before: plain SHA-256, then the previous pepper's. Empty without a pepper.</summary>
    /// <exception cref="ArgumentException">The token is empty, too long or has control characters.</exception>
    public IReadOnlyList<CredentialHash> ComputeOutdated(ReadOnlySpan<char> token)
    {
        if (_pepper is null)
        {
            return [];
        }

        return _previousPepper is null ? [CredentialHash.Compute(token)] : [CredentialHash.Compute(token), Hmac(_previousPepper, token)];
    }

    private static CredentialHash Hmac(byte[] key, ReadOnlySpan<char> token)
    {
        if (CredentialHash.Validate(token) is { } problem)
        {
            throw new ArgumentException(problem, nameof(token));
        }

        Span<byte> utf8 = stackalloc byte[CredentialHash.MaxTokenLength * 3];
        var written = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[CredentialHash.Length];
        var hmac = t_hmac;
        if (hmac is null || !ReferenceEquals(hmac.Key, key))
        {
            hmac?.Hash.Dispose();
            hmac = new ReusableHmac(key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
            t_hmac = hmac;
        }

        hmac.Hash.AppendData(utf8[..written]);
        hmac.Hash.GetHashAndReset(hash);
        utf8[..written].Clear();
        return CredentialHash.FromBytes(hash);
    }

    /// <summary>A thread's HMAC and the pepper it is keyed with (compared by reference: each hasher owns its pepper's bytes).</summary>
    private sealed record ReusableHmac(byte[] Key, IncrementalHash Hash);
}
