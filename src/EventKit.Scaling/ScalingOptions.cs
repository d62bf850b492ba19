namespace EventKit.Scaling;

/// <summary>
/// Options of <c>.AddScaling()</c> (section <c>EventKit:Scaling</c>): the node registry, the leader lease, and the
/// autoscaling recommender. Validated when the host starts.
/// </summary>
public sealed class ScalingOptions
{
    /// <summary>This node's id in the registry.</summary>
    /// <remarks>Default <see langword="null"/>: the machine name and a random suffix. Must be unique per running node.</remarks>
    public string? NodeId { get; set; }

    /// <summary>The URL other parts (the YARP gateway) reach this node at, for example <c>http://10.0.0.5:8080</c>.</summary>
    /// <remarks>Default <see langword="null"/>: the node is listed without an address and a balancer cannot route to it.</remarks>
    public string? AdvertisedUrl { get; set; }

    /// <summary>
    /// Whether this process only watches the registry (a balancer such as the YARP gateway): it lists the live nodes but
    /// does not register itself, campaign for leadership, own gates or run the recommender.
    /// </summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool ObserveOnly { get; set; }

    /// <summary>The namespace of the registry, lease and scaling keys in Redis.</summary>
    /// <remarks>Default <c>eventkit:scaling:</c>. Use one per event when several events share a Redis.</remarks>
    public string KeyPrefix { get; set; } = "eventkit:scaling:";

    /// <summary>How often the node heartbeats and refreshes its list of live nodes.</summary>
    /// <remarks>Default 1 second; between 100 ms and 1 minute. A node's entry lives for two intervals, so a node that stops heartbeating leaves the list of the others within three.</remarks>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease (the leader's among them) lasts without renewal.</summary>
    /// <remarks>Default 5 seconds; between 500 ms and 5 minutes. A new leader acts at most this long (plus one renewal interval) after the old one died.</remarks>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a gate lease of the gate-owned fast path (<c>.AddGateOwnedCheckInClaims()</c>) lasts in Redis without renewal.</summary>
    /// <remarks>
    /// Default 20 seconds; between 1 second and 10 minutes, and longer than <see cref="GateLeaseSafetyMargin"/>. Leases are
    /// renewed every <see cref="HeartbeatInterval"/>, or three times per (duration − margin) when that is shorter.
    /// Another node can take the gate over at most this long after its holder died.
    /// </remarks>
    public TimeSpan GateLeaseDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How much earlier than its lease's expiry in Redis a node stops deciding a gate in memory (by its own monotonic
    /// clock, from before the renewal was sent).
    /// </summary>
    /// <remarks>
    /// Default 15 seconds; at least 0 and less than <see cref="GateLeaseDuration"/>. It must exceed the longest time a
    /// check-in's durable write can stay in flight after the decision (the group-commit writer's statement timeout, 10 s
    /// by default, times its attempts), so that every write of an old owner has ended before a new owner can hold the lease
    /// and ask PostgreSQL. With the defaults a node stops deciding about 5 seconds after its last successful renewal.
    /// </remarks>
    public TimeSpan GateLeaseSafetyMargin { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The fewest replicas the recommender asks for.</summary>
    /// <remarks>Default 2; between 1 and 1000.</remarks>
    public int MinReplicas { get; set; } = 2;

    /// <summary>The most replicas the recommender asks for.</summary>
    /// <remarks>Default 10; between <see cref="MinReplicas"/> and 1000.</remarks>
    public int MaxReplicas { get; set; } = 10;

    /// <summary>How far a metric may be from its target (as a ratio) before the recommender proposes a change.</summary>
    /// <remarks>Default 0.1 (Kubernetes HPA's default); between 0 and 0.9.</remarks>
    public double Tolerance { get; set; } = 0.1;

    /// <summary>The target CPU utilisation of a node (0..1).</summary>
    /// <remarks>Default 0.7; between 0.05 and 1. A metric is off when its target is 0.</remarks>
    public double TargetCpuUtilization { get; set; } = 0.7;

    /// <summary>The target p95 response time of check-ins and reads, in milliseconds.</summary>
    /// <remarks>Default 1000 ms; between 0 (off) and 600000.</remarks>
    public double TargetP95Milliseconds { get; set; } = 1000;

    /// <summary>The target number of requests in flight per node.</summary>
    /// <remarks>Default 64; between 0 (off) and 1000000.</remarks>
    public double TargetInFlightPerNode { get; set; } = 64;

    /// <summary>The target check-in writer backlog per node (check-ins accepted and not yet durable).</summary>
    /// <remarks>Default 2000; between 0 (off) and 10000000.</remarks>
    public double TargetWriterBacklogPerNode { get; set; } = 2000;

    /// <summary>How often the leader evaluates the recommendation.</summary>
    /// <remarks>Default 15 seconds (HPA's sync period); between 100 ms and 10 minutes.</remarks>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The period of the scale-up policy: per period, at most max(×<see cref="ScaleUpFactor"/>, +1).</summary>
    /// <remarks>Default 60 seconds; between 1 second and 1 hour.</remarks>
    public TimeSpan ScaleUpPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The growth factor of the scale-up policy.</summary>
    /// <remarks>Default 1.5; between 1 and 10.</remarks>
    public double ScaleUpFactor { get; set; } = 1.5;

    /// <summary>The period of the scale-down policy: per period, at most min(×<see cref="ScaleDownFactor"/>, −1).</summary>
    /// <remarks>Default 60 seconds; between 1 second and 1 hour.</remarks>
    public TimeSpan ScaleDownPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The shrink factor of the scale-down policy.</summary>
    /// <remarks>Default 0.7; between 0.1 and 1.</remarks>
    public double ScaleDownFactor { get; set; } = 0.7;

    /// <summary>The scale-down stabilisation window: the highest recommendation within it wins.</summary>
    /// <remarks>Default 300 seconds (HPA's default); between 0 and 1 hour.</remarks>
    public TimeSpan ScaleDownStabilizationWindow { get; set; } = TimeSpan.FromSeconds(300);
}
