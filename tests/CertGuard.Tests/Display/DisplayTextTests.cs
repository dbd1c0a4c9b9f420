using CertGuard.Display;

namespace CertGuard.Tests.Display;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("\u001b]0;PWNED\u0007\u001b[2J", "\\x1b]0;PWNED\\x07\\x1b[2J")]
    [InlineData("a\u0000b", "a\\x00b")]
    [InlineData("line\r\nbreak\ttab", "line\\x0d\\x0abreak\\x09tab")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("csi\u009b31m", "csi\\x9b31m")]
    [InlineData("c1\u0080\u0085", "c1\\x80\\x85")]
    [InlineData("invoice\u202efdp.exe", "invoice\\u202efdp.exe")]
    [InlineData("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d")]
    [InlineData("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069")]
    public void Controls_and_bidi_overrides_are_shown_as_escapes(string text, string expected)
    {
        Assert.Equal(expected, DisplayText.Escape(text));
        Assert.True(DisplayText.NeedsEscaping(text));
    }

    [Theory]
    [InlineData("CN=web.example, O=Example")]
    [InlineData("caf\u00e9 \u00a0 \u00ff \u65e5\u672c \u05e9\u05dc\u05d5\u05dd")] // Latin-1 letters, NBSP, CJK and Hebrew letters stay
    [InlineData("\u2065\u206a\u2029\u202f")] // neighbours of the bidi ranges
    [InlineData("C:\\certs\\a.pem")]
    [InlineData("\ud83d\udd12 lock")]
    public void Ordinary_text_is_returned_as_the_same_instance(string text)
    {
        Assert.Same(text, DisplayText.Escape(text));
        Assert.False(DisplayText.NeedsEscaping(text));
    }

    [Fact]
    public void Null_and_empty_read_as_empty()
    {
        Assert.Equal(string.Empty, DisplayText.Escape(null));
        Assert.Equal(string.Empty, DisplayText.Escape(string.Empty));
    }
}
