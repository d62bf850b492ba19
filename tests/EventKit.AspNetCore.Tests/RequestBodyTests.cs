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
