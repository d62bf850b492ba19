using System.Text.Json.Serialization;

namespace EventKit.Scaling.Internal;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NodeInfo))]
[JsonSerializable(typeof(ScalingRecommendation))]
internal sealed partial class ScalingJson : JsonSerializerContext;
