using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EventKit.Monitoring.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Tests.Internal;

public sealed class WebhookAlertSinkTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Uri _url;

    public WebhookAlertSinkTests()
    {
        var port = FreePort();
        _url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(_url.ToString());
        _listener.Start();
    }

    [Fact]
    public async Task Posts_signed_alertmanager_json_and_retries_a_failed_delivery()
    {
        var received = new List<(string Body, string? Signature)>();
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await _listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                received.Add((await reader.ReadToEndAsync(), context.Request.Headers[WebhookAlertSink.SignatureHeader]));
                context.Response.StatusCode = i == 0 ? 503 : 200;
                context.Response.Close();
            }
        });
        using var sink = new WebhookAlertSink(
            Options.Create(new MonitoringOptions { Webhook = { Url = _url, Secret = "s3cret", MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(10) } }),
            TimeProvider.System);
        var labels = new Dictionary<string, string> { ["alertname"] = "redis_unhealthy", ["severity"] = "critical" };
        var startsAt = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

        await sink.SendAsync(new AlertNotification("redis_unhealthy", true, AlertSeverity.Critical, "Redis is down.", 0, 1, labels, startsAt, null), CancellationToken.None);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, received.Count);
        var (body, signature) = received[1];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, signature);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("redis_unhealthy", root.GetProperty("groupLabels").GetProperty("alertname").GetString());
        var alert = root.GetProperty("alerts")[0];
        Assert.Equal("critical", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("Redis is down.", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal(startsAt, alert.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(16, alert.GetProperty("fingerprint").GetString()!.Length);
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_and_never_blocks_the_publisher()
    {
        var gate = new TaskCompletionSource();
        var slow = new BlockingSink(gate.Task);
        var dispatcher = new AlertDispatcher([slow], Options.Create(new MonitoringOptions { Webhook = { QueueCapacity = 2 } }), Microsoft.Extensions.Logging.Abstractions.NullLogger<AlertDispatcher>.Instance);
        using var stop = new CancellationTokenSource();
        var sending = dispatcher.RunAsync(stop.Token);
        var labels = new Dictionary<string, string> { ["alertname"] = "x" };
        for (var i = 0; i < 100; i++)
        {
            dispatcher.Publish(new AlertNotification("n" + i, true, AlertSeverity.Info, "", i, 0, labels, DateTimeOffset.UnixEpoch, null));
        }

        gate.SetResult();
        await EventKit.Testing.Eventually.TrueAsync(() => slow.Names.Contains("n99"), "the newest notification was delivered");
        Assert.True(slow.Names.Count <= 4, $"at most the one in flight plus the queue were delivered ({slow.Names.Count})");
        await stop.CancelAsync();
        await sending;
    }

    public void Dispose() => _listener.Close();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class BlockingSink(Task gate) : IAlertSink
    {
        public System.Collections.Concurrent.ConcurrentBag<string> Names { get; } = [];

        public async ValueTask SendAsync(AlertNotification notification, CancellationToken cancellationToken)
        {
            await gate;
            Names.Add(notification.Name);
        }
    }
}
