using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Requires <c>X-Admin-Key</c> to match <see cref="EventKitApiOptions.AdminKey"/> or one of
/// <see cref="EventKitApiOptions.AdminKeys"/> (compared in constant time over SHA-256 digests). The matching key's name
/// (<c>admin</c> for <see cref="EventKitApiOptions.AdminKey"/>) is the actor of the audit log.
/// </summary>
/// <remarks>Anonymous admin (<see cref="EventKitApiOptions.AllowAnonymousAdmin"/>, Development only) serves loopback callers
/// only. Failed attempts are logged and counted, and limited per remote address, by <see cref="AuthenticationFailures"/>.
/// Keys are re-read when configuration reloads, so a key can be retired without a restart.</remarks>
internal sealed class AdminKeyFilter : IEndpointFilter, IDisposable
{
    public const string HeaderName = "X-Admin-Key";

    /// <summary>The actor name of <see cref="EventKitApiOptions.AdminKey"/>.</summary>
    public const string DefaultKeyName = "admin";

    /// <summary>The actor name of a loopback caller served without a key.</summary>
    public const string Anonymous = "anonymous";

    private const string ActorItem = "EventKit.AdminActor";

    private readonly AuthenticationFailures _failures;
    private readonly IDisposable? _subscription;
    private volatile Keys _keys;

    public AdminKeyFilter(IOptionsMonitor<EventKitApiOptions> options, AuthenticationFailures failures)
    {
        _failures = failures;
        _keys = Keys.From(options.CurrentValue);
        _subscription = options.OnChange(changed => _keys = Keys.From(changed));
    }

    /// <summary>Who the admin request was authenticated as: a key's name, or <see cref="Anonymous"/>.</summary>
    public static string ActorOf(HttpContext context) => context.Items[ActorItem] as string ?? Anonymous;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_failures.IsBlocked(http))
        {
            return ValueTask.FromResult<object?>(Problems.TooManyRequests(TimeSpan.FromMinutes(1), http, "too_many_failed_authentications", "Too many failed authentications.", "This address sent too many wrong keys; retry after the time in Retry-After."));
        }

        var presented = http.Request.Headers[HeaderName].ToString();
        if (Match(presented) is { } name)
        {
            http.Items[ActorItem] = name;
            return next(context);
        }

        if (AllowsAnonymously(http) && presented.Length == 0)
        {
            http.Items[ActorItem] = Anonymous;
            return next(context);
        }

        _failures.Record(http, "admin", presented.Length == 0 ? "no key" : "wrong key");
        return ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status401Unauthorized, "admin_key_required", "A valid admin key is required.", $"Send the admin key in the {HeaderName} header."));
    }

    /// <summary>Whether <paramref name="request"/> carries an admin key (or comes from loopback with anonymous admin allowed).</summary>
    public bool Allows(HttpRequest request) => AllowsAnonymously(request.HttpContext) || Match(request.Headers[HeaderName].ToString()) is not null;

    public void Dispose() => _subscription?.Dispose();

    private bool AllowsAnonymously(HttpContext http) => _keys.Anonymous && http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);

    private string? Match(string presented)
    {
        var keys = _keys;
        if (keys.Digests.Length == 0 || presented.Length == 0 || presented.Length > 1024)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? match = null;

        // Every key is compared, so the time taken does not tell which one (if any) matched.
        foreach (var (name, expected) in keys.Digests)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected) && match is null)
            {
                match = name;
            }
        }

        return match;
    }

    private sealed record Keys((string Name, byte[] Digest)[] Digests, bool Anonymous)
    {
        public static Keys From(EventKitApiOptions options)
        {
            var digests = new List<(string, byte[])>();
            if (options.AdminKey is { Length: > 0 } key)
            {
                digests.Add((DefaultKeyName, SHA256.HashData(Encoding.UTF8.GetBytes(key))));
            }

            foreach (var (name, value) in options.AdminKeys)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    digests.Add((name, SHA256.HashData(Encoding.UTF8.GetBytes(value))));
                }
            }

            return new Keys([.. digests], options.AllowAnonymousAdmin);
        }
    }
}
