using EventKit.AspNetCore.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Tests;

public sealed class ReportAdmissionTests
{
    [Fact]
    public async Task Admits_processing_plus_queued_reports_and_refuses_the_rest_until_one_leaves()
    {
        using var admission = new ReportAdmission(Options.Create(new EventKitApiOptions { MaxConcurrentReports = 1, MaxQueuedReports = 1 }));
        using var processing = admission.TryEnter();
        Assert.NotNull(processing);
        await processing.WaitAsync(CancellationToken.None);

        var queued = admission.TryEnter();
        Assert.NotNull(queued);
        var waiting = queued.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Assert.Null(admission.TryEnter());

        processing.Dispose();
        await waiting;
        queued.Dispose();
        using var again = admission.TryEnter();
        Assert.NotNull(again);
    }
}
