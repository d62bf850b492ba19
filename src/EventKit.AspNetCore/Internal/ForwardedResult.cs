using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

/// <summary>The gate owner's answer to a passed-on report, returned as it came (status, content type, body).</summary>
internal sealed class ForwardedResult(int statusCode, string? contentType, byte[] body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = contentType;
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
