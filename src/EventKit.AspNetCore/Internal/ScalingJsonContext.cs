using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventKit.AspNetCore.Internal;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScalingStatusResponse))]
[JsonSerializable(typeof(KedaMetricsResponse))]
internal sealed partial class ScalingJsonContext : JsonSerializerContext;
