using System.Buffers;
using System.Text;
using EventKit.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Tests;

public sealed class RequestBodyTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task Pooled_buffers_holding_a_body_are_returned_cleared(int padding)
    {
        var pool = new RecordingPool();
        var json = "{\"gateId\":1,\"credential\":\"SECRET-TOKEN-0123456789\",\"method\":\"" + new string('q', padding) + "\"}";
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));

        // No Content-Length: the buffer starts small and grows, so several buffers go back to the pool.
        var (body, problem) = await RequestBody.ReadAsync(context.Request, 1 << 20, ApiJsonContext.Default.CheckInBody, pool, CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal("SECRET-TOKEN-0123456789", body!.Credential);
        Assert.NotEmpty(pool.Returns);
        Assert.All(pool.Returns, cleared => Assert.True(cleared));
        Assert.Equal(pool.Rents, pool.Returns.Count);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(4, false)]
    public async Task Array_items_are_counted_across_reads_of_any_size(int max, bool accepted)
    {
        var json = "[{\"name\":\"a,b\",\"credential\":\"[x]\"}, {\"name\":\"{\"}, {}, {\"credential\":\"q\"}, {\"name\":\"e\"}]";
        foreach (var chunk in new[] { 1, 3, 7, 1000 })
        {
            var context = new DefaultHttpContext();
            context.Request.Body = new TrickleStream(Encoding.UTF8.GetBytes(json), chunk);
            var (body, problem) = await RequestBody.ReadArrayAsync(context.Request, 1 << 20, ApiJsonContext.Default.NewParticipantBodyArray, max, () => Microsoft.AspNetCore.Http.Results.StatusCode(499), CancellationToken.None);
            Assert.Equal(accepted, problem is null);
            Assert.Equal(accepted ? 5 : null, body?.Length);
        }
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a slow client's body arrives.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private sealed class RecordingPool : ArrayPool<byte>
    {
        public int Rents { get; private set; }

        public List<bool> Returns { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            Rents++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Returns.Add(clearArray);
    }
}
