using System.Threading.RateLimiting;

namespace EventKit.AspNetCore.Internal;

/// <summary>The lease of a limit that is turned off: always acquired, nothing to release.</summary>
internal sealed class UnlimitedLease : RateLimitLease
{
    public static readonly RateLimitLease Instance = new UnlimitedLease();

    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
