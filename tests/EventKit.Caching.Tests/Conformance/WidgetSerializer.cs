using System.Buffers;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Tests.Conformance;

/// <summary>Writes <c>widget:{name}</c> and reads it back with <see cref="Widget.Via"/> = its own name.</summary>
internal sealed class WidgetSerializer(string name) : IHybridCacheSerializer<Widget>
{
    public Widget Deserialize(ReadOnlySequence<byte> source) => new(Encoding.UTF8.GetString(source)["widget:".Length..], name);

    public void Serialize(Widget value, IBufferWriter<byte> target) => Encoding.UTF8.GetBytes("widget:" + value.Name, target);
}

