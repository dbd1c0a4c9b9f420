using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Tests.Scanning;

public sealed class ExpiryThresholdTests
{
    [Theory]
    [InlineData("30", 30.0, null)]
    [InlineData("30d", 30.0, null)]
    [InlineData(" 7D ", 7.0, null)]
    [InlineData("0", 0.0, null)]
    [InlineData("1.5", 1.5, null)]
    [InlineData("33%", null, 0.33)]
    [InlineData("100%", null, 1.0)]
    [InlineData("0%", null, 0.0)]
    public void Days_and_lifetime_percentages_are_read(string text, double? days, double? fraction)
    {
        Assert.True(ExpiryThreshold.TryParse(text, out var threshold));
        Assert.Equal(days, threshold.Days?.TotalDays);
        Assert.Equal(fraction, threshold.LifetimeFraction);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("%")]
    [InlineData("-1")]
    [InlineData("101%")]
    [InlineData("-5%")]
    [InlineData("30 days")]
    [InlineData("1e9")]
    [InlineData("NaN")]
    [InlineData("thirty")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(ExpiryThreshold.TryParse(text, out _));
    }
}
