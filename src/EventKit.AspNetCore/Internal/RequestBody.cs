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

    /// <summary>Reads a JSON array body, counting its items while the bytes arrive: more than <paramref name="maxItems"/>
    /// stops the read with <paramref name="tooMany"/> before anything is deserialised.</summary>
    public static ValueTask<(T? Value, IResult? Problem)> ReadArrayAsync<T>(HttpRequest request, int limit, JsonTypeInfo<T> typeInfo, int maxItems, Func<IResult> tooMany, CancellationToken cancellationToken)
        where T : class
        => ReadAsync(request, limit, typeInfo, ArrayPool<byte>.Shared, cancellationToken, maxItems, tooMany);

    /// <summary>As above, renting from <paramref name="pool"/>. Buffers go back cleared: bodies hold credential tokens.</summary>
    internal static async ValueTask<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit, JsonTypeInfo<T> typeInfo, ArrayPool<byte> pool, CancellationToken cancellationToken, int maxItems = 0, Func<IResult>? tooMany = null)
        where T : class
    {
        var counter = maxItems > 0 ? new ItemCounter(maxItems) : null;
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

                if (counter is not null && !counter.Scan(buffer.AsSpan(0, length)))
                {
                    return (null, tooMany!());
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

    /// <summary>Counts the items of a top-level JSON array incrementally: each call scans only the bytes not scanned yet.</summary>
    private sealed class ItemCounter(int max)
    {
        private JsonReaderState _state;
        private int _scanned;
        private int _items;
        private bool _stopped;

        /// <summary>Scans <paramref name="body"/> (everything received so far); <see langword="false"/> once there are too many items.</summary>
        public bool Scan(ReadOnlySpan<byte> body)
        {
            if (_stopped)
            {
                return true;
            }

            var reader = new Utf8JsonReader(body[_scanned..], isFinalBlock: false, _state);
            try
            {
                while (reader.Read())
                {
                    if (reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName or JsonTokenType.Comment) && ++_items > max)
                    {
                        return false;
                    }
                }
            }
            catch (JsonException)
            {
                // Malformed: the syntax pass after the read reports it.
                _stopped = true;
                return true;
            }

            _scanned += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            return true;
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
