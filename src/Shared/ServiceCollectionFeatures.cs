using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Internal;

/// <summary>
/// The one idempotency check of every EventKit verb (shared source, compiled into each package): a verb registers its
/// services only the first time it is called, whatever other verbs ran before or after it.
/// </summary>
internal static class ServiceCollectionFeatures
{
    /// <summary>Returns <see langword="true"/> (and records the feature) the first time it is called for <typeparamref name="TFeature"/> on <paramref name="services"/>.</summary>
    /// <typeparam name="TFeature">A type that names the feature (usually the verb's options type).</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>Whether the caller should register the feature's services now.</returns>
    public static bool TryAddFeature<TFeature>(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(FeatureMarker<TFeature>))
            {
                return false;
            }
        }

        services.Add(ServiceDescriptor.Singleton(new FeatureMarker<TFeature>()));
        return true;
    }

    /// <summary>Whether the feature has been registered.</summary>
    /// <typeparam name="TFeature">The type that names the feature.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns><see langword="true"/> when <see cref="TryAddFeature{TFeature}"/> ran for it.</returns>
    public static bool HasFeature<TFeature>(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(FeatureMarker<TFeature>))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class FeatureMarker<TFeature>;
}
