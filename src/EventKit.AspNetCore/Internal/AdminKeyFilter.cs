using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>Requires <c>X-Admin-Key</c> to match the configured key (compared in constant time over SHA-256 digests).</summary>
/// <remarks>Anonymous admin (<see cref="EventKitApiOptions.AllowAnonymousAdmin"/>, Development only) serves loopback callers
/// only. Failed attempts are logged and counted, and limited per remote address, by <see cref="AuthenticationFailures"/>.</remarks>
internal sealed class AdminKeyFilter(IOptions<EventKitApiOptions> options, AuthenticationFailures failures) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    private readonly byte[]? _expected = options.Value.AdminKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;
    private readonly bool _anonymous = options.Value.AllowAnonymousAdmin;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (AllowsAnonymously(http))
        {
            return next(context);
        }

        if (failures.IsBlocked(http))
        {
            return ValueTask.FromResult<object?>(Problems.TooManyRequests(TimeSpan.FromMinutes(1), http, "too_many_failed_authentications", "Too many failed authentications.", "This address sent too many wrong keys; retry after the time in Retry-After."));
        }

        var presented = http.Request.Headers[HeaderName].ToString();
        if (Matches(presented))
        {
            return next(context);
        }

        failures.Record(http, "admin", presented.Length == 0 ? "no key" : "wrong key");
        return ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status401Unauthorized, "admin_key_required", "A valid admin key is required.", $"Send the admin key in the {HeaderName} header."));
    }

    /// <summary>Whether <paramref name="request"/> carries the admin key (or comes from loopback with anonymous admin allowed).</summary>
    public bool Allows(HttpRequest request) => AllowsAnonymously(request.HttpContext) || Matches(request.Headers[HeaderName].ToString());

    private bool AllowsAnonymously(HttpContext http) => _anonymous && http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);

    private bool Matches(string presented)
    {
        if (_expected is null || presented.Length == 0)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _expected);
    }
}
