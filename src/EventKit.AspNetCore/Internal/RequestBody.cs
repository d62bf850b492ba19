using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

/// <summary>Reads a JSON body with a hard size limit and turns every failure into a problem that names the field.</summary>
internal static class RequestBody
{
    public static ValueTask<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
        => ReadAsync(request, limit, typeInfo, ArrayPool<byte>.Shared, cancellationToken);

    /// <summary>As above, renting from <paramref name="pool"/>. Buffers go back cleared: bodies hold credential tokens.</summary>
    internal static async ValueTask<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit, JsonTypeInfo<T> typeInfo, ArrayPool<byte> pool, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > limit)
        {
            return (null, Problems.BodyTooLarge(limit));
        }

        var buffer = pool.Rent(Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? 4096));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return (null, Problems.BodyTooLarge(limit));
                    }

                    var larger = pool.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    return (null, Problems.BodyTooLarge(limit));
                }
            }

            if (length == 0)
            {
                return (null, Problems.Create(StatusCodes.Status400BadRequest, "malformed_json", "The request body is empty.", "Send a JSON body."));
            }

            if (!IsWellFormed(buffer.AsSpan(0, length)))
            {
                return (null, Problems.Create(StatusCodes.Status400BadRequest, "malformed_json", "The request body is not valid JSON.", "Send a complete, well-formed JSON document."));
            }

            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
                return value is null
                    ? (null, Problems.Create(StatusCodes.Status400BadRequest, "malformed_json", "The request body is null.", "Send a JSON object."))
                    : (value, null);
            }
            catch (JsonException e)
            {
                // JsonException's message can quote input; keep only the position.
                return (null, Problems.MalformedJson(e.Path, $"Malformed or mistyped JSON at {e.Path ?? "$"} (line {e.LineNumber}, byte {e.BytePositionInLine})."));
            }
        }
        finally
        {
            pool.Return(buffer, clearArray: true);
        }
    }

    /// <summary>A syntax-only pass, so that broken JSON is "malformed" and well-formed JSON with a wrong type names its field.</summary>
    private static bool IsWellFormed(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
