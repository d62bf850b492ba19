namespace EventKit.LoadTest;

/// <summary>What <see cref="LocalNodeScaler"/> made of one request: accepted or not, nodes to start (&gt; 0) or stop (&lt; 0).</summary>
internal readonly record struct ScaleDecision(bool Accepted, int Delta, string Message);
