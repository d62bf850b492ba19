namespace EventKit.Caching;

/// <summary>Kinds of cached data, each with its own <see cref="CachePolicy"/>.</summary>
public enum CacheKind
{
    /// <summary>Participants.</summary>
    Participant = 0,

    /// <summary>Gate configuration.</summary>
    GateConfig = 1,

    /// <summary>Analytics and statistics.</summary>
    Analytics = 2,

    /// <summary>Static data.</summary>
    Static = 3,
}
