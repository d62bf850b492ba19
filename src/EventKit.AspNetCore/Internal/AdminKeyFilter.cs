using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>Requires <c>X-Admin-Key</c> to match the configured key (compared in constant time over SHA-256 digests).</summary>
internal sealed class AdminKeyFilter(IOptions<EventKitApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    private readonly byte[]? _expected = options.Value.AdminKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;
    private readonly bool _anonymous = options.Value.AllowAnonymousAdmin;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (Allows(context.HttpContext.Request))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status401Unauthorized, "admin_key_required", "A valid admin key is required.", $"Send the admin key in the {HeaderName} header."));
    }

    /// <summary>Whether <paramref name="request"/> carries the admin key (or anonymous admin is allowed).</summary>
    public bool Allows(HttpRequest request) => _anonymous || Matches(request.Headers[HeaderName].ToString());

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
