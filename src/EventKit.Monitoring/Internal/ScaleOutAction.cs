using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Monitoring.Internal;

/// <summary>The built-in <c>scale_out</c> action: asks the registered <see cref="IScaleExecutor"/>, or reports that none is.</summary>
internal sealed class ScaleOutAction(IServiceProvider services) : IRecoveryAction
{
    public string Name => RecoveryActionNames.ScaleOut;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (services.GetService<IScaleExecutor>() is not { } executor)
        {
            return new RecoveryResult(false, "No IScaleExecutor is registered (add a scaling package, or add nodes by hand).");
        }

        // A relative request (one step more): Monitoring does not know the replica count; the executor decides.
        var detail = await executor.ScaleAsync(new ScaleRequest($"{context.RuleName} = {context.Value:G4} (threshold {context.Threshold:G4})"), cancellationToken).ConfigureAwait(false);
        return new RecoveryResult(true, detail);
    }
}
