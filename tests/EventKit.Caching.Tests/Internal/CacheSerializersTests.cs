using System.Buffers;
using EventKit.Caching.Internal;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Tests.Internal;

public sealed class CacheSerializersTests
{
    [Fact]
    public void Model_types_round_trip_through_the_default_json_serializer()
    {
        var serializers = new CacheSerializers(null);
        var participant = new Participant(7, 3, "Zoë Ünïcode", null, ParticipantStatus.Suspended, "EXT-7");
        IReadOnlyList<Gate> gates = [new Gate(1, 3, "North", GateKind.Exit, isOpen: false)];

        Assert.Equal(participant, RoundTrip(serializers.Get<Participant>(), participant));
        Assert.Equal(gates, RoundTrip(serializers.Get<IReadOnlyList<Gate>>(), gates));
        Assert.Equal(42L, RoundTrip(serializers.Get<long?>(), 42L));
    }

    [Fact]
    public void Strings_and_bytes_round_trip_for_any_content()
    {
        var serializers = new CacheSerializers(null);
        Prop.ForAll<string>(s => s is null || RoundTrip(serializers.Get<string>(), s) == s).QuickCheckThrowOnFailure();
        Prop.ForAll<byte[]>(b => b is null || RoundTrip(serializers.Get<byte[]>(), b).AsSpan().SequenceEqual(b)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_registered_serializer_wins_over_the_default()
    {
        var services = new ServiceCollection().AddSingleton<IHybridCacheSerializer<Gate>, FixedGateSerializer>().BuildServiceProvider();

        var serializer = new CacheSerializers(services).Get<Gate>();

        Assert.IsType<FixedGateSerializer>(serializer);
    }

    [Fact]
    public void A_registered_factory_is_asked_before_the_default()
    {
        var services = new ServiceCollection().AddSingleton<IHybridCacheSerializerFactory, GateSerializerFactory>().BuildServiceProvider();
        var serializers = new CacheSerializers(services);

        Assert.IsType<FixedGateSerializer>(serializers.Get<Gate>());
        Assert.IsNotType<FixedGateSerializer>(serializers.Get<Participant>());
    }

    [Fact]
    public void The_factory_registered_last_is_asked_first()
    {
        var services = new ServiceCollection()
            .AddSingleton<IHybridCacheSerializerFactory>(new AnyTypeFactory("first"))
            .AddSingleton<IHybridCacheSerializerFactory>(new AnyTypeFactory("second"))
            .BuildServiceProvider();

        Assert.Equal("second", Assert.IsType<NamedSerializer<Gate>>(new CacheSerializers(services).Get<Gate>()).Name);
    }

    [Fact]
    public void Built_in_string_and_byte_serializers_come_before_factories_as_in_Microsofts_cache()
    {
        var services = new ServiceCollection().AddSingleton<IHybridCacheSerializerFactory>(new AnyTypeFactory("factory")).BuildServiceProvider();
        var serializers = new CacheSerializers(services);

        Assert.IsNotType<NamedSerializer<string>>(serializers.Get<string>());
        Assert.IsNotType<NamedSerializer<byte[]>>(serializers.Get<byte[]>());
        Assert.IsType<NamedSerializer<Participant>>(serializers.Get<Participant>());
    }

    [Fact]
    public void Keyed_json_options_apply_per_type_first_then_to_every_type()
    {
        var perType = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.KebabCaseUpper };
        var shared = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
        var services = new ServiceCollection()
            .AddKeyedSingleton<System.Text.Json.JsonSerializerOptions>(typeof(IHybridCacheSerializer<Gate>), perType)
            .AddKeyedSingleton<System.Text.Json.JsonSerializerOptions>(typeof(IHybridCacheSerializer<>), shared)
            .BuildServiceProvider();
        var serializers = new CacheSerializers(services);

        Assert.Contains("\"IS-OPEN\"", Json(serializers.Get<Gate>(), new Gate(1, 3, "North", GateKind.Exit, isOpen: false)), StringComparison.Ordinal);
        Assert.Contains("\"external_ref\"", Json(serializers.Get<Participant>(), new Participant(7, 3, "A", null, ParticipantStatus.Active, "EXT-7")), StringComparison.Ordinal);
    }

    [Fact]
    public void Types_with_only_public_fields_keep_their_fields()
    {
        var serializers = new CacheSerializers(null);

        Assert.Equal((3, "three"), RoundTrip(serializers.Get<(int, string)>(), (3, "three")));
        Assert.Equal([(1, 2L)], RoundTrip(serializers.Get<List<(int, long)>>(), [(1, 2L)]));
        Assert.Contains("\"Id\"", Json(serializers.Get<Gate>(), new Gate(1, 3, "North")), StringComparison.Ordinal);
    }

    private static string Json<T>(IHybridCacheSerializer<T> serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static T RoundTrip<T>(IHybridCacheSerializer<T> serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }

    private sealed class FixedGateSerializer : IHybridCacheSerializer<Gate>
    {
        public Gate Deserialize(ReadOnlySequence<byte> source) => new(1, 1, "fixed");

        public void Serialize(Gate value, IBufferWriter<byte> target) => target.Write<byte>([1]);
    }

    private sealed class NamedSerializer<T>(string name) : IHybridCacheSerializer<T>
    {
        public string Name => name;

        public T Deserialize(ReadOnlySequence<byte> source) => default!;

        public void Serialize(T value, IBufferWriter<byte> target)
        {
        }
    }

    private sealed class AnyTypeFactory(string name) : IHybridCacheSerializerFactory
    {
        public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
        {
            serializer = new NamedSerializer<T>(name);
            return true;
        }
    }

    private sealed class GateSerializerFactory : IHybridCacheSerializerFactory
    {
        public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
        {
            serializer = typeof(T) == typeof(Gate) ? (IHybridCacheSerializer<T>)(object)new FixedGateSerializer() : null;
            return serializer is not null;
        }
    }
}
