using EventKit.Scaling;

namespace EventKit.AspNetCore.Internal;

internal sealed record ScalingStatusResponse(string NodeId, bool Registered, bool Leader, IReadOnlyList<NodeInfo> Nodes, ScalingRecommendation? Recommendation);
