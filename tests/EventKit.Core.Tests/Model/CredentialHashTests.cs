using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Core.Tests.Model;

public sealed class CredentialHashTests
{
    [Fact]
    public void Is_the_sha256_of_the_utf8_token()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Q7f3-김민준")));
        Assert.Equal(expected, CredentialHash.Compute("Q7f3-김민준").ToString());
    }

    [Fact]
    public void Equal_tokens_give_equal_hashes_and_different_tokens_do_not()
    {
        Assert.Equal(CredentialHash.Compute("abc"), CredentialHash.Compute("abc"));
        Assert.True(CredentialHash.Compute("abc") == CredentialHash.Compute("abc"));
        Assert.NotEqual(CredentialHash.Compute("abc"), CredentialHash.Compute("abd"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void Rejects_empty_and_control_character_tokens(string token)
    {
        Assert.NotNull(CredentialHash.Validate(token));
        Assert.Throws<ArgumentException>(() => CredentialHash.Compute(token));
    }

    [Fact]
    public void Accepts_256_characters_and_rejects_257_without_echoing_the_token()
    {
        var longest = new string('x', CredentialHash.MaxTokenLength);
        Assert.Null(CredentialHash.Validate(longest));
        _ = CredentialHash.Compute(longest);

        var tooLong = "secret-" + new string('y', CredentialHash.MaxTokenLength);
        var error = Assert.Throws<ArgumentException>(() => CredentialHash.Compute(tooLong));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Longest_token_of_multibyte_characters_hashes()
    {
        // 256 four-byte characters would overflow a naive buffer; surrogate pairs count as two chars.
        var emoji = string.Concat(Enumerable.Repeat("😀", CredentialHash.MaxTokenLength / 2));
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(emoji)));
        Assert.Equal(expected, CredentialHash.Compute(emoji).ToString());
    }

    [Fact]
    public void Bytes_round_trip()
    {
        Prop.ForAll(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32).ToArbitrary(), bytes =>
        {
            var hash = CredentialHash.FromBytes(bytes);
            return hash.ToArray().AsSpan().SequenceEqual(bytes) && CredentialHash.FromBytes(hash.ToArray()) == hash;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void From_bytes_rejects_the_wrong_length()
        => Assert.Throws<ArgumentException>(() => CredentialHash.FromBytes(new byte[31]));
}
