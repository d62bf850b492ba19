using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EventKit.AspNetCore.Internal;

/// <summary>Tells <see cref="IOptionsMonitor{TOptions}"/> of <see cref="EventKitApiOptions"/> when the host's configuration
/// reloads, so admin keys added or retired in configuration take effect without a restart.</summary>
internal sealed class ApiOptionsChangeTokenSource(IServiceProvider services) : IOptionsChangeTokenSource<EventKitApiOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
        => services.GetService(typeof(IConfiguration)) is IConfiguration configuration ? configuration.GetReloadToken() : new CancellationChangeToken(CancellationToken.None);
}
