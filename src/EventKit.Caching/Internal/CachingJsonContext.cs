using System.Text.Json.Serialization;

namespace EventKit.Caching.Internal;

/// <summary>Source-generated JSON metadata for the model types the cached directories store.</summary>
[JsonSerializable(typeof(Participant))]
[JsonSerializable(typeof(Gate))]
[JsonSerializable(typeof(IReadOnlyList<Gate>))]
[JsonSerializable(typeof(long?))]
internal sealed partial class CachingJsonContext : JsonSerializerContext;
