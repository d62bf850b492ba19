using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventKit.LoadTest;

/// <summary>Seeds gates and participants through the management API, as an integrator would.</summary>
internal sealed class Seeder(HttpClient admin)
{
    public async Task<long[]> CreateGatesAsync(int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await admin.PostAsJsonAsync("api/v1/gates", new { name = $"Gate {i + 1}", kind = "entrance", open = true }, cancellationToken).ConfigureAwait(false);
            await EnsureAsync(response, "creating a gate").ConfigureAwait(false);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            ids[i] = body.RootElement.GetProperty("id").GetInt64();
        }

        return ids;
    }

    /// <summary>Issues one scanner key allowed at every gate (check-ins need <c>X-Scanner-Key</c>).</summary>
    public async Task<string> CreateScannerAsync(long[] gates, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsJsonAsync("api/v1/scanners", new { name = "Load scanner", gateIds = gates }, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, "creating a scanner").ConfigureAwait(false);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return body.RootElement.GetProperty("apiKey").GetString()!;
    }

    /// <summary>Imports participants in batches of 10,000; a share is seeded revoked. Returns their tokens (index = rank).</summary>
    public async Task<SeededParticipants> CreateParticipantsAsync(int count, double revokedShare, Action<int> progress, CancellationToken cancellationToken)
    {
        var tokens = new string[count];
        var revoked = new bool[count];
        var random = new Random(20261121);
        for (var i = 0; i < count; i++)
        {
            tokens[i] = NewToken();
            revoked[i] = random.NextDouble() < revokedShare;
        }

        const int batch = 10_000;
        var ids = new long[count];
        for (var start = 0; start < count; start += batch)
        {
            var end = Math.Min(count, start + batch);
            var json = new StringBuilder((end - start) * 120);
            json.Append('[');
            for (var i = start; i < end; i++)
            {
                if (i > start)
                {
                    json.Append(',');
                }

                json.Append("{\"externalRef\":\"T-").Append(i).Append("\",\"name\":\"Attendee ").Append(i)
                    .Append("\",\"email\":\"attendee").Append(i).Append("@example.org\",\"credential\":\"").Append(tokens[i])
                    .Append("\",\"status\":\"").Append(revoked[i] ? "revoked" : "active").Append("\"}");
            }

            json.Append(']');
            using var content = new StringContent(json.ToString(), Encoding.UTF8, "application/json");
            using var response = await admin.PostAsync("api/v1/participants", content, cancellationToken).ConfigureAwait(false);
            await EnsureAsync(response, "importing participants").ConfigureAwait(false);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var i2 = start;
            foreach (var id in body.RootElement.GetProperty("ids").EnumerateArray())
            {
                ids[i2++] = id.GetInt64();
            }

            progress(end);
        }

        return new SeededParticipants(tokens, revoked, ids);
    }

    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[18];
        RandomNumberGenerator.Fill(bytes);
        return "EK" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {body}");
        }
    }
}

internal sealed record SeededParticipants(string[] Tokens, bool[] Revoked, long[] Ids);
