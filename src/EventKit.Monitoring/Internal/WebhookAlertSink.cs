using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Posts notifications as Alertmanager webhook JSON to <see cref="WebhookOptions.Url"/>, signed with
/// <c>X-EventKit-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>, with a per-attempt timeout and exponential
/// backoff with jitter on network errors, timeouts, 408, 429 and 5xx (Polly). Runs on the dispatcher's queue, never
/// on a request.
/// </summary>
internal sealed class WebhookAlertSink : IAlertSink, IDisposable
{
    public const string SignatureHeader = "X-EventKit-Signature";

    private readonly WebhookOptions _options;
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ResiliencePipeline _pipeline;
    private readonly byte[]? _key;

    public WebhookAlertSink(IOptions<MonitoringOptions> options, TimeProvider time)
    {
        _options = options.Value.Webhook;
        _key = _options.Secret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : null;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<RetryableStatusException>(),
            });
        }

        _pipeline = builder.AddTimeout(_options.Timeout).Build();
    }

    public async ValueTask SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (_options.Url is not { } url)
        {
            return;
        }

        var body = AlertmanagerPayload.Write(notification);
        var signature = _key is null ? null : "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body));
        await _pipeline.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (signature is not null)
                {
                    request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
                }

                using var response = await _client.SendAsync(request, token).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    throw new RetryableStatusException(response.StatusCode);
                }

                response.EnsureSuccessStatusCode();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private sealed class RetryableStatusException(HttpStatusCode status) : HttpRequestException($"Webhook answered {(int)status}.", null, status);
}
