using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Monitoring.Internal;

/// <summary>The built-in <c>shed_load</c> action: asks the registered <see cref="ILoadShedder"/>, or reports that none is.</summary>
internal sealed class ShedLoadAction(IServiceProvider services) : IRecoveryAction
{
    public string Name => RecoveryActionNames.ShedLoad;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (services.GetService<ILoadShedder>() is not { } shedder)
        {
            return new RecoveryResult(false, "No ILoadShedder is registered (the ingress's check-in limiter registers one); nothing was shed.");
        }

        var detail = await shedder.ShedLoadAsync(string.Create(CultureInfo.InvariantCulture, $"{context.RuleName} = {context.Value:G4} (threshold {context.Threshold:G4})"), cancellationToken).ConfigureAwait(false);
        return new RecoveryResult(true, detail);
    }
}
