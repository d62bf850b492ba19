using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Internal;

/// <summary>
/// Binds a package's options from <see cref="IConfiguration"/> when the host has one (shared source, compiled into each
/// package). Registered by the verb before the caller's delegate, so the delegate wins over configuration.
/// </summary>
internal static class ConfigurationBinding
{
    /// <summary>Registers <paramref name="bind"/>, run with the host's configuration (if any) before the caller's own delegates.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="bind">
    /// Binds the package's section (<c>configuration.GetSection("EventKit:Storage").Bind(options)</c>, written at the
    /// concrete type so that the binding generator handles it) and reads keys outside it (connection strings, variables).
    /// </param>
    public static void BindFromConfiguration<TOptions>(this IServiceCollection services, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        services.AddSingleton<IConfigureOptions<TOptions>>(provider => new Binder<TOptions>(provider.GetService<IConfiguration>(), bind));
    }

    /// <summary>The first non-empty value among <paramref name="keys"/>, or <see langword="null"/>.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="keys">Keys, most specific first.</param>
    /// <returns>The value.</returns>
    public static string? FirstValue(this IConfiguration configuration, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            var value = configuration[key];
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return null;
    }

    private sealed class Binder<TOptions>(IConfiguration? configuration, Action<IConfiguration, TOptions> bind) : IConfigureOptions<TOptions>
        where TOptions : class
    {
        public void Configure(TOptions options)
        {
            if (configuration is not null)
            {
                bind(configuration, options);
            }
        }
    }
}
