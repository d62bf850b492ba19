namespace EventKit.Scaling;

/// <summary>
/// Supplies in-flight requests and recent p95 per request type (<see cref="RequestTypes"/>) to the default
/// <see cref="INodeLoadSource"/>. EventKit.AspNetCore registers one that measures its endpoints when
/// <c>.AddScaling()</c> is present; without one, nodes heartbeat CPU only.
/// </summary>
public interface IRequestLoadProvider
{
    /// <summary>Samples the load per request type now. Called once per heartbeat on one thread.</summary>
    /// <returns>In-flight and p95 per request type.</returns>
    IReadOnlyDictionary<string, RequestTypeLoad> Sample();
}
