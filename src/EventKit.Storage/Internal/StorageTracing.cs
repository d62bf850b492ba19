using System.Diagnostics;
using EventKit.Storage.Internal.Writer;

namespace EventKit.Storage.Internal;

/// <summary>
/// EventKit.Storage's <see cref="ActivitySource"/> (<see cref="EventKitDiagnostics.Storage"/>): a root span per
/// attendance-writer batch (<c>eventkit.storage.writer.batch</c>, from the first attempt to COMMIT or giving up) with an
/// <see cref="ActivityLink"/> to every caller in it: one COPY serves many check-ins, so it cannot be the child of one.
/// </summary>
internal static class StorageTracing
{
    public const string WriterBatch = "eventkit.storage.writer.batch";
    public const string RecordsTag = "eventkit.writer.batch.records";
    public const string AppendsTag = "eventkit.writer.batch.appends";
    public const string AttemptsTag = "eventkit.writer.batch.attempts";
    public const string StagedTag = "eventkit.writer.batch.staged";

    public static readonly ActivitySource Source = new(EventKitDiagnostics.Storage);

    public static Activity? StartBatch(List<PendingAppend> batch, int rows)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Caller != default)
            {
                links.Add(new ActivityLink(pending.Caller));
            }
        }

        var activity = Source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: WriterBatch);
        activity?.SetTag(RecordsTag, rows);
        activity?.SetTag(AppendsTag, batch.Count);
        return activity;
    }
}
