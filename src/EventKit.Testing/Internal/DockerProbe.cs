namespace EventKit.Testing.Internal;

/// <summary>What <see cref="DockerEngine.ProbeAsync"/> found.</summary>
internal sealed record DockerProbe(bool IsReachable, string? Endpoint, string? ApiVersion, string? Reason)
{
    public static DockerProbe Reachable(string endpoint, string? apiVersion) => new(true, endpoint, apiVersion, null);

    public static DockerProbe Unreachable(string reason) => new(false, null, null, reason);
}
