using Lockstep.Protocol.Messages;
using Lockstep.Protocol.Validation;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class NameValidationTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    [Theory]
    [InlineData("a")]
    [InlineData("a/b/c.txt")]
    [InlineData(".bashrc")]
    [InlineData("a/.hidden/..b/c..")]
    [InlineData("...")]
    [InlineData("with space/ünïcödé NFC.txt")]
    [InlineData("日本語/ファイル")]
    [InlineData("a\\b")]            // a backslash is an ordinary character on the wire
    public void Canonical_relative_nfc_names_are_accepted(string name)
    {
        Assert.True(InboundValidator.IsValidName(name, Limits, out var reason), reason);
    }

    [Theory]
    [InlineData("", "filename is invalid")]
    [InlineData(".", "filename is invalid")]
    [InlineData("..", "filename is invalid")]
    [InlineData("/a", "filename is invalid (absolute")]
    [InlineData("/", "filename is invalid (absolute")]
    [InlineData("../a", "filename is invalid (starts with ../")]
    [InlineData("a//b", "not in canonical format (empty path element)")]
    [InlineData("a/", "not in canonical format (trailing slash)")]
    [InlineData("a/b/", "not in canonical format (trailing slash)")]
    [InlineData("./a", "not in canonical format (\".\" path element)")]
    [InlineData("a/./b", "not in canonical format (\".\" path element)")]
    [InlineData("a/.", "not in canonical format (\".\" path element)")]
    [InlineData("a/../b", "not in canonical format (\"..\" path element)")]
    [InlineData("a/..", "not in canonical format (\"..\" path element)")]
    [InlineData("u\u0308ber.txt", "not NFC")]       // NFD: u + combining diaeresis
    [InlineData("a\0b", "contains NUL")]
    public void Other_names_are_refused_with_the_reason(string name, string expected)
    {
        Assert.False(InboundValidator.IsValidName(name, Limits, out var reason));
        Assert.Contains(expected, reason);
    }

    [Fact]
    public void A_lone_surrogate_has_no_utf8_form()
    {
        // Not an [InlineData] case: xunit's serialization of theory data would replace the surrogate.
        Assert.False(InboundValidator.IsValidName("bad\ud800half", Limits, out var reason));
        Assert.Contains("not valid UTF-8", reason);
    }

    [Fact]
    public void The_length_limit_counts_utf8_bytes()
    {
        Assert.True(InboundValidator.IsValidName(new string('a', 4096), Limits, out _));
        Assert.False(InboundValidator.IsValidName(new string('a', 4097), Limits, out var reason));
        Assert.Contains("4097 bytes", reason);
        Assert.False(InboundValidator.IsValidName(new string('é', 2049), Limits, out reason));   // 4098 bytes
        Assert.Contains("4098 bytes", reason);

        var roomy = new ProtocolLimits { MaxNameLength = 8192 };
        Assert.True(InboundValidator.IsValidName(new string('a', 4097), roomy, out _));
    }

    [Fact]
    public void An_index_with_a_bad_name_names_the_message_and_the_file()
    {
        var index = IndexMessage.Update("f1", [WireSamples.File("ok.txt"), WireSamples.File("a//b")]);

        var e = Assert.Throws<ProtocolException>(() => InboundValidator.Validate(index, Limits));
        Assert.Equal(ProtocolError.InvalidName, e.Error);
        Assert.Equal("index-update for f1: \"a//b\": name: filename not in canonical format (empty path element)", e.Message);
    }

    [Fact]
    public void A_request_with_a_bad_name_is_refused()
    {
        var request = WireSamples.Request() with { Name = "../../etc/passwd" };

        var e = Assert.Throws<ProtocolException>(() => InboundValidator.Validate(request, Limits));
        Assert.Equal(ProtocolError.InvalidName, e.Error);
        Assert.StartsWith("request in f1: \"../../etc/passwd\": name: filename is invalid", e.Message);
    }

    [Fact]
    public void A_request_with_odd_numbers_is_for_the_request_server_to_answer()
    {
        // Syncthing answers these with INVALID_FILE rather than closing; so does the boundary check.
        var request = WireSamples.Request() with { Offset = -1, Size = -5, Hash = [1] };
        InboundValidator.Validate(request, Limits);
    }

    [Fact]
    public void Control_characters_in_a_refused_name_are_escaped_in_the_message()
    {
        var index = IndexMessage.Full("f1", [WireSamples.File("a\nb/")]);
        var e = Assert.Throws<ProtocolException>(() => InboundValidator.Validate(index, Limits));
        Assert.Contains("\"a\\u000ab/\"", e.Message);
    }
}
