using EventKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Registers BLE identity key encryption (options, validation, the sealer) for <c>AddPostgresStorage()</c>.</summary>
internal static class BleKeyProtection
{
    public static void Register(IServiceCollection services)
    {
        services.BindFromConfiguration<BleKeyEncryptionOptions>(static (configuration, options) =>
        {
            configuration.GetSection(BleKeyEncryptionOptions.SectionName).Bind(options);
            options.BleKeyEncryptionKey ??= configuration.FirstValue("EVENTKIT_BLE_KEY_ENCRYPTION_KEY");
        });
        services.AddOptions<BleKeyEncryptionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BleKeyEncryptionOptions>, BleKeyEncryptionOptionsValidator>());
        services.TryAddSingleton<BleKeySealer>();
    }
}
