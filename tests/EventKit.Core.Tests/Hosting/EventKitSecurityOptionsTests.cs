using EventKit.Internal;

namespace EventKit.Core.Tests.Hosting;

/// <summary>EventKit:Security is validated at start with messages naming the setting.</summary>
public sealed class EventKitSecurityOptionsTests
{
    private static IReadOnlyList<string> Failures(Action<EventKitSecurityOptions> configure)
    {
        var options = new EventKitOptions();
        configure(options.Security);
        var result = new EventKitOptionsValidator().Validate(null, options);
        return result.Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_are_valid_no_pepper_and_16_character_tokens()
    {
        var options = new EventKitSecurityOptions();
        Assert.Null(options.CredentialPepper);
        Assert.Equal(16, options.MinimumTokenLength);
        Assert.False(options.AllowWeakTokens);
        Assert.Empty(Failures(_ => { }));
    }

    [Theory]
    [InlineData("too-short-pepper", null, "EventKit:Security:CredentialPepper must be at least 32 bytes")]
    [InlineData("a-long-enough-pepper-0123456789abcdef", "short", "EventKit:Security:PreviousCredentialPepper must be at least 32 bytes")]
    [InlineData("a-long-enough-pepper-0123456789abcdef", "a-long-enough-pepper-0123456789abcdef", "must differ from EventKit:Security:CredentialPepper")]
    [InlineData(null, "a-long-enough-pepper-0123456789abcdef", "EventKit:Security:PreviousCredentialPepper needs EventKit:Security:CredentialPepper")]
    public void Bad_peppers_are_refused_naming_the_setting(string? pepper, string? previous, string message)
    {
        var failures = Failures(o =>
        {
            o.CredentialPepper = pepper;
            o.PreviousCredentialPepper = previous;
        });
        Assert.Contains(failures, f => f.Contains(message, StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => pepper is not null && f.Contains(pepper, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void The_minimum_token_length_is_1_to_256(int length)
        => Assert.Contains(Failures(o => o.MinimumTokenLength = length), f => f.Contains("EventKit:Security:MinimumTokenLength", StringComparison.Ordinal));
}
