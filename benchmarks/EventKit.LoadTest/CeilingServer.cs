using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventKit.LoadTest;

/// <summary>
/// A plain Kestrel endpoint that reads the same body and answers a 201 of the same shape, doing no
/// work: the ceiling the check-in API is measured against in the same run (targets T1, T2).
/// </summary>
internal sealed class CeilingServer : IAsyncDisposable
{
    private static readonly byte[] Answer = """{"status":"admitted","recordId":"0193a0e4-8b1c-7cc2-9d4e-3f1a2b3c4d5e","participantId":1,"gateId":1,"occurredAt":"2026-11-21T09:14:03Z"}"""u8.ToArray();
    private readonly WebApplication _app;

    private CeilingServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<CeilingServer> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        app.MapPost("/api/v1/checkins", async (HttpContext context) =>
        {
            var buffer = new byte[4096];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Answer);
        });
        await app.StartAsync().ConfigureAwait(false);
        return new CeilingServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
