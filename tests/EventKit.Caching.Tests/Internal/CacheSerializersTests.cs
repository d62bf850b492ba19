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

    private sealed class GateSerializerFactory : IHybridCacheSerializerFactory
    {
        public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
        {
            serializer = typeof(T) == typeof(Gate) ? (IHybridCacheSerializer<T>)(object)new FixedGateSerializer() : null;
            return serializer is not null;
        }
    }
}
