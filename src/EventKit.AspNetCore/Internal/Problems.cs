using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

/// <summary>RFC 9457 problem details with a stable <c>code</c> (and <c>type</c> = <c>urn:eventkit:problem:{code}</c>).</summary>
internal static class Problems
{
    public static IResult Create(int status, string code, string title, string? detail = null, string? field = null, int? index = null)
    {
        var extensions = new Dictionary<string, object?>(3) { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (index is not null)
        {
            extensions["index"] = index;
        }

        return TypedResults.Problem(detail, instance: null, status, title, "urn:eventkit:problem:" + code, extensions);
    }

    public static IResult InvalidField(string field, string detail)
        => Create(StatusCodes.Status400BadRequest, CheckInErrorCodes.InvalidFieldPrefix + field, $"The field '{field}' is invalid.", detail, field);

    public static IResult MalformedJson(string? path, string detail)
    {
        var field = FieldFromPath(path);
        return field is null
            ? Create(StatusCodes.Status400BadRequest, "malformed_json", "The request body is not valid JSON for this endpoint.", detail)
            : InvalidField(field, detail);
    }

    public static IResult BodyTooLarge(int limit)
        => Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The request body is too large.", $"The body must be at most {limit.ToString(CultureInfo.InvariantCulture)} bytes.", "body");

    public static IResult NotFound(string code, string detail) => Create(StatusCodes.Status404NotFound, code, "Not found.", detail);

    public static IResult Unavailable(TimeSpan retryAfter, HttpContext context)
    {
        SetRetryAfter(context, retryAfter);
        return Unavailable();
    }

    /// <summary>The 503 body alone; the caller sets <c>Retry-After</c>.</summary>
    public static IResult Unavailable()
        => Create(StatusCodes.Status503ServiceUnavailable, CheckInErrorCodes.Unavailable, "Storage is unavailable.", "Nothing was recorded. Retry after the time in Retry-After.");

    /// <summary>503 <c>overloaded</c> with <c>Retry-After</c>: this node is at its in-flight limit with a full queue; nothing was recorded.</summary>
    public static IResult Overloaded(TimeSpan retryAfter, HttpContext context)
    {
        SetRetryAfter(context, retryAfter);
        return Create(StatusCodes.Status503ServiceUnavailable, "overloaded", "This node is at capacity.", "Nothing was recorded. Retry after the time in Retry-After.");
    }

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least 1).</summary>
    public static IResult TooManyRequests(TimeSpan retryAfter, HttpContext context, string code, string title, string detail)
    {
        SetRetryAfter(context, retryAfter);
        return Create(StatusCodes.Status429TooManyRequests, code, title, detail);
    }

    /// <summary>Marks a response that carries a secret (an API key, an identity key) as not storable by any cache.</summary>
    public static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter)
        => context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>$.gateId</c> → <c>gateId</c>; <c>$[3].credential</c> → <c>credential</c>; <c>$</c> → null.</summary>
    private static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot == path.Length - 1)
        {
            return null;
        }

        var field = path[(dot + 1)..];
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        return bracket >= 0 ? field[..bracket] : field;
    }
}
