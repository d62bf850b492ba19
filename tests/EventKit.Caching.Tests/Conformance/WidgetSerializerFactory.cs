using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Tests.Conformance;

/// <summary>Gives a <see cref="WidgetSerializer"/> for <see cref="Widget"/> and declines every other type.</summary>
internal sealed class WidgetSerializerFactory(string name) : IHybridCacheSerializerFactory
{
    public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = typeof(T) == typeof(Widget) ? (IHybridCacheSerializer<T>)(object)new WidgetSerializer(name) : null;
        return serializer is not null;
    }
}

