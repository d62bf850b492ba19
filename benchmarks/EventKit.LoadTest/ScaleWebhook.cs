using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventKit.LoadTest;

/// <summary>
/// The other end of the sample host's <c>WebhookScaleExecutor</c> (<c>--autoscale</c>): a Kestrel endpoint in the demo
/// process, <c>POST /scale</c>, where the leader's autoscaler sends desired/current counts with its fencing token.
/// <see cref="LocalNodeScaler"/> decides; starting and stopping local sample hosts runs in the background, one at a time.
/// </summary>
internal sealed class ScaleWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalNodeScaler _scaler;
    private readonly Func<CancellationToken, Task<string>> _start;
    private readonly Func<CancellationToken, Task<string>> _stop;
    private readonly ConcurrentQueue<ScaleEvent> _events = new();
    private readonly SemaphoreSlim _acting = new(1, 1);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _actions = [];

    private ScaleWebhook(WebApplication app, LocalNodeScaler scaler, Func<CancellationToken, Task<string>> start, Func<CancellationToken, Task<string>> stop, Uri url)
    {
        _app = app;
        _scaler = scaler;
        _start = start;
        _stop = stop;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Until set (the wave starts), requests are recorded and answered but not acted on: seeding is not the load.</summary>
    public bool Armed { get; set; }

    public IReadOnlyList<ScaleEvent> Events => [.. _events];

    /// <param name="port">Where to listen (127.0.0.1).</param>
    /// <param name="scaler">Decides each request.</param>
    /// <param name="start">Starts one more node; returns what it did, for the report.</param>
    /// <param name="stop">Stops the last node it started; returns what it did.</param>
    public static async Task<ScaleWebhook> StartAsync(int port, LocalNodeScaler scaler, Func<CancellationToken, Task<string>> start, Func<CancellationToken, Task<string>> stop)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var webhook = new ScaleWebhook(app, scaler, start, stop, new Uri($"http://127.0.0.1:{port}/scale"));
        app.MapPost("/scale", (Delegate)webhook.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        return webhook;
    }

    /// <summary>Record what happened when a start or stop finished (the node is up, or gone).</summary>
    public void Note(string text) => _events.Enqueue(new ScaleEvent(Stopwatch.GetTimestamp(), null, null, null, null, null, text));

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = body.RootElement;
        var from = root.TryGetProperty("nodeId", out var n) ? n.GetString() : null;
        int? desired = root.TryGetProperty("desiredReplicas", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : null;
        int? current = root.TryGetProperty("currentReplicas", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
        long? token = root.TryGetProperty("fencingToken", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null;
        var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
        ScaleDecision decision;
        lock (_lock)
        {
            decision = Armed ? _scaler.Decide(token, desired) : new ScaleDecision(true, 0, "not armed yet (seeding is not the load)");
            for (var i = 0; i < Math.Abs(decision.Delta); i++)
            {
                var action = decision.Delta > 0 ? _start : _stop;
                _actions.Add(Task.Run(() => RunOneAsync(action)));
            }
        }

        _events.Enqueue(new ScaleEvent(Stopwatch.GetTimestamp(), from, desired, current, token, reason, decision.Message));
        return decision.Accepted ? Results.Text(decision.Message) : Results.Text(decision.Message, statusCode: StatusCodes.Status409Conflict);
    }

    private async Task RunOneAsync(Func<CancellationToken, Task<string>> action)
    {
        await _acting.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            Note(await action(_stopping.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Note($"failed: {e.Message}");
        }
        finally
        {
            _acting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        Task[] actions;
        lock (_lock)
        {
            actions = [.. _actions];
        }

        try
        {
            await Task.WhenAll(actions).WaitAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _acting.Dispose();
    }
}
