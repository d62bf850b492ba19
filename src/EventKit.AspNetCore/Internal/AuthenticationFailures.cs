using System.Diagnostics.Metrics;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Failed authentications (scanner, gateway and admin keys): logged without key material, counted on the
/// <c>EventKit.Api</c> meter (<c>eventkit.api.authentication.failures</c>, tag <c>kind</c>), and limited per remote
/// address, so a caller guessing keys is refused with 429 before any lookup once it has used up its budget.
/// </summary>
internal sealed class AuthenticationFailures : IDisposable
{
    public const string MeterName = "EventKit.Api";

    private const long QuietAfterMs = 2 * 60_000;

    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly Counter<long> _failures;
    private readonly ILogger<AuthenticationFailures> _logger;

    // When the last failure was recorded (Environment.TickCount64). The limiter's windows are one minute long: with no
    // failure in the last two, every address has its whole budget, and the per-request check needs no address string and
    // no partition lookup (the common case: a check-in pays nothing for this guard).
    private long _lastFailureMs = long.MinValue / 2;

    public AuthenticationFailures(IOptions<EventKitApiOptions> options, IMeterFactory meters, ILogger<AuthenticationFailures> logger)
    {
        _logger = logger;
        var perMinute = options.Value.FailedAuthenticationsPerMinute;
        if (perMinute > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }

        _failures = meters.Create(MeterName).CreateCounter<long>("eventkit.api.authentication.failures", unit: "{failure}", description: "Requests refused for a missing or wrong key.");
    }

    /// <summary>Whether the caller's address has used up its failed-authentication budget (checked before any lookup).</summary>
    public bool IsBlocked(HttpContext context)
        => _limiter is not null
           && Environment.TickCount64 - Volatile.Read(ref _lastFailureMs) < QuietAfterMs
           && _limiter.GetStatistics(Address(context))?.CurrentAvailablePermits <= 0;

    /// <summary>Records a failed authentication of <paramref name="kind"/> (scanner, gateway, admin).</summary>
    public void Record(HttpContext context, string kind, string reason)
    {
        Volatile.Write(ref _lastFailureMs, Environment.TickCount64);
        _failures.Add(1, new KeyValuePair<string, object?>("kind", kind));
        Log.AuthenticationFailed(_logger, kind, reason, context.Request.Path);
        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire(Address(context));
        }
    }

    public void Dispose() => _limiter?.Dispose();

    private static string Address(HttpContext context)
        => context.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : IPAddress.None.ToString();
}
