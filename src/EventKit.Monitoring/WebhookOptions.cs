namespace EventKit.Monitoring;

/// <summary>The webhook alert sink: posts Alertmanager-format JSON, signed with HMAC-SHA256, retried with backoff.</summary>
public sealed class WebhookOptions
{
    /// <summary>The URL notifications are posted to (http or https). Unset: no webhook.</summary>
    /// <remarks>Default: <see langword="null"/>.</remarks>
    public Uri? Url { get; set; }

    /// <summary>The shared secret for the <c>X-EventKit-Signature: sha256=&lt;hex&gt;</c> header (HMAC-SHA256 of the body). Unset: no signature.</summary>
    /// <remarks>Default: <see langword="null"/>.</remarks>
    public string? Secret { get; set; }

    /// <summary>Most attempts per notification (first try included), with exponential backoff and jitter between them.</summary>
    /// <remarks>Default: 5. Range: 1 to 20.</remarks>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry; later ones double.</summary>
    /// <remarks>Default: 1 second. Range: 10 ms to 1 minute.</remarks>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one attempt.</summary>
    /// <remarks>Default: 10 seconds. Range: 100 ms to 2 minutes.</remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Notifications waiting to be sent; when full, the oldest is dropped (alerting never blocks the app).</summary>
    /// <remarks>Default: 1,000. Range: 1 to 100,000.</remarks>
    public int QueueCapacity { get; set; } = 1000;
}
