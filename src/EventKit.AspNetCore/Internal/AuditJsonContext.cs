using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventKit.AspNetCore.Internal;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditPageResponse))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
