using EventKit.Storage.Internal;

namespace EventKit.Storage.Tests.Internal;

public sealed class SqlIdentifierTests
{
    [Theory]
    [InlineData("attendance_records_2026_12")]
    [InlineData("_x")]
    public void Plain_identifiers_are_quoted(string identifier)
        => Assert.Equal("\"" + identifier + "\"", SqlIdentifier.Quote(identifier));

    [Theory]
    [InlineData("name\n")]
    [InlineData("Name")]
    [InlineData("a\"b")]
    [InlineData("")]
    [InlineData("1abc")]
    public void Anything_else_is_refused(string identifier)
        => Assert.Throws<ArgumentException>(() => SqlIdentifier.Quote(identifier));
}
