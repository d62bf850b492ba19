using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Internal;

/// <summary>
/// Picks the serializer of a type with Microsoft's <c>HybridCache</c> precedence, so that serializers registered
/// the Microsoft way (<c>AddSerializer</c> / <c>AddSerializerFactory</c> on <c>IHybridCacheBuilder</c>, or plain
/// DI registrations) mean the same here:
/// <list type="number">
/// <item>the last registered <see cref="IHybridCacheSerializer{T}"/> of exactly that type;</item>
/// <item>the built-ins for <see cref="string"/> and <see cref="byte"/> arrays (Microsoft registers its own in DI,
/// so they too come before any factory);</item>
/// <item>the registered <see cref="IHybridCacheSerializerFactory"/>s, last registered first; the first that
/// accepts the type wins;</item>
/// <item>System.Text.Json with the keyed <see cref="JsonSerializerOptions"/> registered for
/// <c>typeof(IHybridCacheSerializer&lt;T&gt;)</c>, else for <c>typeof(IHybridCacheSerializer&lt;&gt;)</c>, else
/// default options (source-generated metadata for EventKit's model types; fields included for types that only
/// have public fields, such as value tuples).</item>
/// </list>
/// </summary>
internal sealed class CacheSerializers
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CachingJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private static readonly JsonSerializerOptions FieldJsonOptions = new(JsonOptions) { IncludeFields = true };

    private readonly ConcurrentDictionary<Type, object> _serializers = new();
    private readonly IServiceProvider? _services;
    private readonly IHybridCacheSerializerFactory[] _factories;
    private readonly JsonSerializerOptions? _sharedJsonOptions;

    public CacheSerializers(IServiceProvider? services)
    {
        _services = services;
        if (services is null)
        {
            _factories = [];
            return;
        }

        // Last registered first: reversed once here, then the first factory that accepts a type wins.
        _factories = [.. services.GetServices<IHybridCacheSerializerFactory>()];
        Array.Reverse(_factories);
        _sharedJsonOptions = (services as IKeyedServiceProvider)?.GetKeyedService<JsonSerializerOptions>(typeof(IHybridCacheSerializer<>));
    }

    public IHybridCacheSerializer<T> Get<T>() =>
        _serializers.TryGetValue(typeof(T), out var found)
            ? (IHybridCacheSerializer<T>)found
            : (IHybridCacheSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, self) => self.Create<T>(), this);

    private object Create<T>()
    {
        if (_services?.GetService<IHybridCacheSerializer<T>>() is { } registered)
        {
            return registered;
        }

        if (typeof(T) == typeof(string))
        {
            return new StringSerializer();
        }

        if (typeof(T) == typeof(byte[]))
        {
            return new BytesSerializer();
        }

        foreach (var factory in _factories)
        {
            if (factory.TryCreateSerializer<T>(out var fromFactory))
            {
                return fromFactory;
            }
        }

        var options = (_services as IKeyedServiceProvider)?.GetKeyedService<JsonSerializerOptions>(typeof(IHybridCacheSerializer<T>))
            ?? _sharedJsonOptions
            ?? (FieldOnlyTypes.IsFieldOnly(typeof(T)) ? FieldJsonOptions : JsonOptions);

        // What JsonSerializer does on the first call with options: options registered without a resolver get the reflection one.
        options.MakeReadOnly(populateMissingResolver: true);
        return new JsonSerializer<T>((JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
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
