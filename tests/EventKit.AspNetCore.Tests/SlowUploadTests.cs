using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.AspNetCore.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>A gateway trickling its report must not hold the processing slots other gateways need.</summary>
public sealed class SlowUploadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_stalled_upload_does_not_hold_the_only_processing_slot()
    {
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.MaxConcurrentReports = 1);
        var gate = await host.CreateGateAsync("Slow door");
        var slow = await RegisterAsync(host, gate);
        var fast = await RegisterAsync(host, gate);

        var stalled = new StalledContent();
        using var slowRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{slow.Id}/reports") { Content = stalled };
        slowRequest.Headers.Add("X-Gateway-Key", slow.Key);
        var slowResponse = host.Client.SendAsync(slowRequest);
        await stalled.FirstBytesSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var admission = host.Services.GetRequiredService<ReportAdmission>();
        await Eventually.TrueAsync(() => admission.Admitted == 1, "the slow report is admitted");

        // The slow report holds the only slot until the fix: this one would then wait for as long as the slow one stalls.
        using var fastRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{fast.Id}/reports") { Content = new StringContent("", Encoding.UTF8, "application/x-ndjson") };
        fastRequest.Headers.Add("X-Gateway-Key", fast.Key);
        using var fastResponse = await host.Client.SendAsync(fastRequest).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, fastResponse.StatusCode);
        Assert.False(slowResponse.IsCompleted);

        stalled.Finish.SetResult();
        using var done = await slowResponse.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, done.StatusCode);
        Assert.Equal(1, (await done.BodyAsync()).GetProperty("rejected").GetInt32());
    }

    private static async Task<(long Id, string Key)> RegisterAsync(ApiHost host, long gate)
    {
        using var response = await host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = gate });
        var body = await response.BodyAsync();
        return (body.GetProperty("id").GetInt64(), body.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Sends a partial NDJSON line, then nothing until <see cref="Finish"/> is set.</summary>
    private sealed class StalledContent : HttpContent
    {
        public StalledContent() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");

        public TaskCompletionSource FirstBytesSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{\"t\":1,\"mac\":"u8.ToArray());
            await stream.FlushAsync();
            FirstBytesSent.SetResult();
            await Finish.Task;
            await stream.WriteAsync("\"zz\"}\n"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
