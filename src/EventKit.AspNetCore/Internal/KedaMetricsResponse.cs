namespace EventKit.AspNetCore.Internal;

/// <summary>KEDA metrics-api body: use <c>valueLocation: desiredReplicas</c>, <c>targetValue: "1"</c> (AverageValue), so HPA scales to the recommendation.</summary>
internal sealed record KedaMetricsResponse(int DesiredReplicas, int CurrentReplicas, int LiveNodes);
