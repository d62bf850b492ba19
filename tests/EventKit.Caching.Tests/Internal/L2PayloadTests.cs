using EventKit.Caching.Internal;
using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Caching.Tests.Internal;

public sealed class L2PayloadTests
{
    [Fact]
    public void Header_fields_and_body_round_trip()
    {
        var serializer = new CacheSerializers(null).Get<string>();
        Prop.ForAll<(long Stamp, long Expires), string[], bool>((times, rawTags, isNull) =>
        {
            var (stamp, expires) = times;
            var tags = Array.FindAll(rawTags ?? [], t => !string.IsNullOrEmpty(t) && t.Length < 200);
            var bytes = L2Payload.Encode("body", isNull, stamp, expires, tags, serializer);
            return L2Payload.TryDecode(bytes, out var payload)
                && payload.CreatedStamp == stamp
                && payload.ExpiresAtMs == expires
                && payload.IsNull == isNull
                && payload.Tags.AsSpan().SequenceEqual(tags)
                && bytes.Length - payload.BodyOffset == (isNull ? 0 : 4);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Truncated_or_foreign_values_are_rejected()
    {
        var bytes = L2Payload.Encode("v", false, 1, 2, ["tag-one"], new CacheSerializers(null).Get<string>());

        Assert.False(L2Payload.TryDecode(bytes[..10], out _));
        Assert.False(L2Payload.TryDecode(bytes[..22], out _));
        Assert.False(L2Payload.TryDecode("plain text written by someone else"u8.ToArray(), out _));
    }
}
