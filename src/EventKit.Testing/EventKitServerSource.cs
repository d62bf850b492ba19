namespace EventKit.Testing;

/// <summary>Where a fixture's server came from.</summary>
public enum EventKitServerSource
{
    /// <summary>A server named by <c>EVENTKIT_POSTGRES</c> / <c>EVENTKIT_REDIS</c> (or the options' connection strings), e.g. <c>./eventkit services start</c>'s.</summary>
    Environment = 0,

    /// <summary>A container started through Testcontainers, shared by every fixture of the test process that uses the same image.</summary>
    Container = 1,
}
