using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Internal;

/// <summary>
/// Picks the serializer of a type: a registered <see cref="IHybridCacheSerializer{T}"/>, then the registered
/// <see cref="IHybridCacheSerializerFactory"/>s (last registered first), then built-ins for <see cref="string"/>
/// and <see cref="byte"/> arrays, then System.Text.Json (source-generated metadata for EventKit's model types).
/// </summary>
internal sealed class CacheSerializers(IServiceProvider? services)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CachingJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    public IHybridCacheSerializer<T> Get<T>() =>
        (IHybridCacheSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, self) => self.Create<T>(), this);

    private object Create<T>()
    {
        if (services?.GetService<IHybridCacheSerializer<T>>() is { } registered)
        {
            return registered;
        }

        if (services is not null)
        {
            var factories = services.GetServices<IHybridCacheSerializerFactory>().ToArray();
            for (var i = factories.Length - 1; i >= 0; i--)
            {
                if (factories[i].TryCreateSerializer<T>(out var fromFactory))
                {
                    return fromFactory;
                }
            }
        }

        if (typeof(T) == typeof(string))
        {
            return new StringSerializer();
        }

        if (typeof(T) == typeof(byte[]))
        {
            return new BytesSerializer();
        }

        return new JsonSerializer<T>((JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T)));
    }

    private sealed class JsonSerializer<T>(JsonTypeInfo<T> typeInfo) : IHybridCacheSerializer<T>
    {
        public T Deserialize(ReadOnlySequence<byte> source)
        {
            var reader = new Utf8JsonReader(source);
            return JsonSerializer.Deserialize(ref reader, typeInfo)!;
        }

        public void Serialize(T value, IBufferWriter<byte> target)
        {
            using var writer = new Utf8JsonWriter(target);
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
    }

    private sealed class StringSerializer : IHybridCacheSerializer<string>
    {
        public string Deserialize(ReadOnlySequence<byte> source) => Encoding.UTF8.GetString(source);

        public void Serialize(string value, IBufferWriter<byte> target) => Encoding.UTF8.GetBytes(value, target);
    }

    private sealed class BytesSerializer : IHybridCacheSerializer<byte[]>
    {
        public byte[] Deserialize(ReadOnlySequence<byte> source) => source.ToArray();

        public void Serialize(byte[] value, IBufferWriter<byte> target) => target.Write(value);
    }
}

/// <summary>Source-generated JSON metadata for the model types the cached directories store.</summary>
[JsonSerializable(typeof(Participant))]
[JsonSerializable(typeof(Gate))]
[JsonSerializable(typeof(IReadOnlyList<Gate>))]
[JsonSerializable(typeof(long?))]
internal sealed partial class CachingJsonContext : JsonSerializerContext;
