namespace EventKit.Caching;

/// <summary>Lifetimes per kind of data.</summary>
public sealed class CachePolicies
{
    /// <summary>Participants (credential and id lookups).</summary>
    /// <remarks>Default 5 min.</remarks>
    public CachePolicy Participant { get; } = new(TimeSpan.FromMinutes(5));

    /// <summary>Gate configuration.</summary>
    /// <remarks>Default 30 min.</remarks>
    public CachePolicy GateConfig { get; } = new(TimeSpan.FromMinutes(30));

    /// <summary>Analytics and statistics.</summary>
    /// <remarks>Default 1 min.</remarks>
    public CachePolicy Analytics { get; } = new(TimeSpan.FromMinutes(1));

    /// <summary>Static data (event configuration).</summary>
    /// <remarks>Default 1 h.</remarks>
    public CachePolicy Static { get; } = new(TimeSpan.FromHours(1));

    /// <summary>The policy of a kind.</summary>
    public CachePolicy For(CacheKind kind) => kind switch
    {
        CacheKind.Participant => Participant,
        CacheKind.GateConfig => GateConfig,
        CacheKind.Analytics => Analytics,
        CacheKind.Static => Static,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cache kind."),
    };
}
