using System.Diagnostics;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// The span tree of one check-in through the real stack (PostgreSQL storage, the Redis-backed cache, the group-commit
/// writer), as an OpenTelemetry exporter would receive it from EventKit's activity sources.
/// </summary>
public sealed class TracingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_check_in_traces_its_cache_calls_and_the_writer_batch_links_back_to_its_write()
    {
        var gate = await fixture.Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await fixture.Host.ImportAsync(("Jung Ha-eun", token, "active"));

        using var spans = new SpanRecorder(trace: null, EventKitDiagnostics.CheckIn, EventKitDiagnostics.Caching, EventKitDiagnostics.Storage);

        using (var root = new Activity("test").Start())
        {
            var result = await fixture.Host.Services.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(gate, token));
            Assert.Equal(CheckInStatus.Admitted, result.Status);
        }

        var checkIn = Assert.Single(spans, s => s.OperationName == "eventkit.checkin" && s.Parent?.OperationName == "test");
        var trace = spans.Where(s => s.TraceId == checkIn.TraceId).ToList();
        var resolve = Assert.Single(trace, s => s.OperationName == "eventkit.checkin.resolve");
        var write = Assert.Single(trace, s => s.OperationName == "eventkit.checkin.write");
        Assert.Equal(checkIn.SpanId, resolve.ParentSpanId);
        Assert.Equal(checkIn.SpanId, write.ParentSpanId);

        // Every cache call is inside the check-in (event settings, gate, participant). The participant was never looked
        // up: its call, under the resolve span, misses L1 and L2 and runs the factory (the query). Only the key's prefix
        // is recorded.
        var gets = trace.Where(s => s.OperationName == "eventkit.cache.get").ToList();
        Assert.All(gets, g => Assert.True(IsUnder(g, checkIn, trace), $"{g.GetTagItem("eventkit.cache.key_prefix")} is under the check-in"));
        var missed = Assert.Single(gets, g => IsUnder(g, resolve, trace) && (string?)g.GetTagItem("eventkit.cache.hit") == "miss" && trace.Any(f => f.OperationName == "eventkit.cache.factory" && IsUnder(f, g, trace)));
        Assert.DoesNotContain(token, (string)missed.GetTagItem("eventkit.cache.key_prefix")!, StringComparison.Ordinal);
        var l2 = Assert.Single(trace, s => s.OperationName == "eventkit.cache.l2.get" && IsUnder(s, missed, trace));
        Assert.Equal("miss", l2.GetTagItem("eventkit.cache.hit"));

        // The batch that committed the record is a root span of its own, linked to the check-in's write.
        await Eventually.TrueAsync(() => spans.Any(s => s.OperationName == "eventkit.storage.writer.batch" && s.Links.Any(l => l.Context.SpanId == write.SpanId)), "the writer batch links to the write span");
        var batch = spans.Single(s => s.OperationName == "eventkit.storage.writer.batch" && s.Links.Any(l => l.Context.SpanId == write.SpanId));
        Assert.Equal(default, batch.ParentSpanId);
        Assert.NotEqual(checkIn.TraceId, batch.TraceId);
        Assert.Equal(write.TraceId, batch.Links.Single(l => l.Context.SpanId == write.SpanId).Context.TraceId);
        Assert.True((int)batch.GetTagItem("eventkit.writer.batch.records")! >= 1);
        Assert.Equal(ActivityStatusCode.Unset, batch.Status);
    }

    private static bool IsUnder(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }
}
