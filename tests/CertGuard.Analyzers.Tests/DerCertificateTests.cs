using CertGuard.Analyzers.Internal;
using CertGuard.Analyzers.Tests.Infrastructure;

namespace CertGuard.Analyzers.Tests;

public sealed class DerCertificateTests
{
    [Fact]
    public void Reads_validity_encoded_as_UTCTime()
    {
        var notBefore = new DateTimeOffset(1999, 12, 31, 23, 59, 58, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(2049, 12, 31, 23, 59, 59, TimeSpan.Zero);
        using var certificate = TestCertificates.Create("utc.example", notBefore, notAfter);

        var parsed = DerCertificate.TryParse(certificate.RawData);

        Assert.NotNull(parsed);
        Assert.Equal(notBefore.UtcDateTime, parsed.NotBefore);
        Assert.Equal(notAfter.UtcDateTime, parsed.NotAfter);
        Assert.Equal(DateTimeKind.Utc, parsed.NotAfter.Kind);
        Assert.Equal("utc.example", parsed.CommonName);
    }

    [Fact]
    public void Reads_validity_encoded_as_GeneralizedTime_from_2050()
    {
        var notAfter = new DateTimeOffset(2055, 6, 1, 12, 0, 0, TimeSpan.Zero);
        using var certificate = TestCertificates.Create("generalized.example", notAfter.AddYears(-6), notAfter);

        var parsed = DerCertificate.TryParse(certificate.RawData);

        Assert.NotNull(parsed);
        Assert.Equal(notAfter.UtcDateTime, parsed.NotAfter);
    }

    [Fact]
    public void Rejects_truncated_and_foreign_data()
    {
        using var certificate = TestCertificates.Create("x", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var der = certificate.RawData;

        Assert.Null(DerCertificate.TryParse(der[..^1]));
        Assert.Null(DerCertificate.TryParse(der[..40]));
        Assert.Null(DerCertificate.TryParse(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }));
        Assert.Null(DerCertificate.TryParse(new byte[] { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF }));
        Assert.Null(DerCertificate.TryParse(Array.Empty<byte>()));
    }
}
