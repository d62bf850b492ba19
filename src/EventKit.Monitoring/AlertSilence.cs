namespace EventKit.Monitoring;

/// <summary>Suppresses notifications of matching alerts until <paramref name="EndsAt"/> (the alerts are still evaluated and shown).</summary>
/// <param name="Id">The silence's id.</param>
/// <param name="Matchers">Label name → value an alert must carry, all of them.</param>
/// <param name="StartsAt">When it was created.</param>
/// <param name="EndsAt">When it expires.</param>
/// <param name="Comment">Why.</param>
public sealed record AlertSilence(Guid Id, IReadOnlyDictionary<string, string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Comment);
