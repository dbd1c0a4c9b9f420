using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace CertGuard.Tests.Inspection.Revocation;

/// <summary>The CRL reader on its own: what it accepts, what it refuses, and what reading costs in memory.</summary>
public sealed class CrlReaderTests
{
    private static readonly Uri Url = new("http://crl.test/ca.crl");

    [Fact]
    public void Entries_are_found_by_serial_with_their_date_and_reason_including_negative_and_leading_zero_serials()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var revokedAt = new DateTime(now.UtcDateTime.Date.AddDays(-3).Ticks, DateTimeKind.Utc);
        var negative = BigInteger.ValueOf(-129);
        var highBit = new BigInteger("80ff", 16);
        var generator = Generator(pki, now);
        generator.AddCrlEntry(negative, revokedAt, CrlReason.KeyCompromise);
        generator.AddCrlEntry(highBit, revokedAt, CrlReason.AffiliationChanged);

        var (crl, problem) = CrlReader.Read(Sign(generator, pki), pki.BcCertificate, Url, now, TimeSpan.FromMinutes(5));

        Assert.Null(problem);
        Assert.NotNull(crl);
        Assert.Equal(2, crl.Count);
        var found = CrlReader.Lookup(crl, negative, Url, now);
        Assert.Equal((RevocationStatus.Revoked, new DateTimeOffset(revokedAt), "keyCompromise"), (found.Status, found.RevokedAt!.Value, found.RevocationReason));
        Assert.Equal("affiliationChanged", CrlReader.Lookup(crl, highBit, Url, now).RevocationReason);
        Assert.Equal(RevocationStatus.Good, CrlReader.Lookup(crl, BigInteger.ValueOf(129), Url, now).Status);
        Assert.Equal(RevocationStatus.Good, CrlReader.Lookup(crl, new BigInteger("ff", 16), Url, now).Status);
    }

    [Fact]
    public void An_entry_without_a_reason_is_revoked_without_one_and_removeFromCRL_is_not_a_revocation()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var generator = Generator(pki, now);
        generator.AddCrlEntry(BigInteger.ValueOf(7), now.UtcDateTime.AddDays(-1), 0);
        generator.AddCrlEntry(BigInteger.ValueOf(8), now.UtcDateTime.AddDays(-1), CrlReason.RemoveFromCrl);
        generator.AddCrlEntry(BigInteger.ValueOf(9), now.UtcDateTime.AddDays(-1), null);

        var (crl, _) = CrlReader.Read(Sign(generator, pki), pki.BcCertificate, Url, now, TimeSpan.Zero);

        Assert.NotNull(crl);
        Assert.Equal(2, crl.Count);
        Assert.Equal(RevocationStatus.Good, CrlReader.Lookup(crl, BigInteger.ValueOf(8), Url, now).Status);
        var unstated = CrlReader.Lookup(crl, BigInteger.ValueOf(9), Url, now);
        Assert.Equal((RevocationStatus.Revoked, (string?)null), (unstated.Status, unstated.RevocationReason));
    }

    [Fact]
    public void A_delta_CRL_is_refused()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var generator = Generator(pki, now);
        generator.AddExtension(X509Extensions.DeltaCrlIndicator, true, new CrlNumber(BigInteger.One));

        var (crl, problem) = CrlReader.Read(Sign(generator, pki), pki.BcCertificate, Url, now, TimeSpan.Zero);

        Assert.Null(crl);
        Assert.Equal($"CRL {Url} is a delta CRL, which cannot be used without its base CRL", problem);
    }

    [Fact]
    public void A_CRL_dated_beyond_the_clock_skew_is_refused_and_one_within_it_is_read()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var generator = Generator(pki, now.AddMinutes(10));
        var body = Sign(generator, pki);

        Assert.StartsWith($"CRL {Url} is dated in the future", CrlReader.Read(body, pki.BcCertificate, Url, now, TimeSpan.FromMinutes(5)).Problem);
        Assert.NotNull(CrlReader.Read(body, pki.BcCertificate, Url, now, TimeSpan.FromMinutes(15)).Crl);
    }

    [Fact]
    public void A_CRL_from_another_issuer_name_is_refused_naming_it()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(new X509Name("CN=Somebody Else"));
        generator.SetThisUpdate(now.UtcDateTime.AddHours(-1));

        var (crl, problem) = CrlReader.Read(Sign(generator, pki), pki.BcCertificate, Url, now, TimeSpan.Zero);

        Assert.Null(crl);
        Assert.Equal($"CRL {Url} was issued by 'CN=Somebody Else', not by the certificate's issuer", problem);
    }

    [Fact]
    public void Trailing_bytes_after_the_CRL_make_it_invalid()
    {
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var body = Sign(Generator(pki, now), pki).Concat(new byte[] { 0x00, 0x00 }).ToArray();

        Assert.Equal($"CRL {Url} is not a valid CRL", CrlReader.Read(body, pki.BcCertificate, Url, now, TimeSpan.Zero).Problem);
    }

    [Fact]
    public void A_PEM_body_without_a_CRL_block_is_not_a_CRL()
    {
        using var pki = TestPki.Create();
        var body = System.Text.Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        Assert.Equal($"CRL {Url} is not a valid CRL", CrlReader.Read(body, pki.BcCertificate, Url, DateTimeOffset.UtcNow, TimeSpan.Zero).Problem);
    }

    [Fact]
    public void An_entry_with_a_serial_and_nothing_else_is_not_a_valid_CRL()
    {
        // Minimized from the mutation fuzzer: the reader indexed past the end of an entry cut after its serial.
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var signatureFactory = new Asn1SignatureFactory("SHA256WITHECDSA", pki.BcPrivateKey);
        var algorithm = ((Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier)signatureFactory.AlgorithmDetails).GetEncoded();
        var tbs = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(pki.BcCertificate.SubjectDN.GetEncoded());
            tbs.WriteUtcTime(now.AddHours(-1));
            using (tbs.PushSequence())
            using (tbs.PushSequence())
            {
                tbs.WriteInteger(42);
            }
        }

        var signed = tbs.Encode();
        var calculator = signatureFactory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(signed);
        }

        var crl = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(signed);
            crl.WriteEncodedValue(algorithm);
            crl.WriteBitString(((Org.BouncyCastle.Crypto.IBlockResult)calculator.GetResult()).Collect());
        }

        var (verified, problem) = CrlReader.Read(crl.Encode(), pki.BcCertificate, Url, now, TimeSpan.Zero);

        Assert.Null(verified);
        Assert.Equal($"CRL {Url} is not a valid CRL", problem);
    }

    [Fact]
    public void Reading_a_large_CRL_allocates_a_small_multiple_of_its_size()
    {
        // BouncyCastle's object model allocated about 75 times the CRL's size; the index needs a few times it.
        using var pki = TestPki.Create();
        var now = DateTimeOffset.UtcNow;
        var generator = Generator(pki, now);
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var serial = new byte[16];
            random.NextBytes(serial);
            generator.AddCrlEntry(new BigInteger(1, serial), now.UtcDateTime.AddDays(-2), CrlReason.KeyCompromise);
        }

        var body = Sign(generator, pki);
        CrlReader.Read(body, pki.BcCertificate, Url, now, TimeSpan.Zero);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (crl, _) = CrlReader.Read(body, pki.BcCertificate, Url, now, TimeSpan.Zero);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20_000, crl!.Count);
        Assert.True(allocated < 4L * body.Length, $"reading a {body.Length}-byte CRL allocated {allocated} bytes ({(double)allocated / body.Length:0.0}x)");
    }

    private static X509V2CrlGenerator Generator(TestPki pki, DateTimeOffset thisUpdate)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(pki.BcCertificate.SubjectDN);
        generator.SetThisUpdate(thisUpdate.UtcDateTime.AddSeconds(-1));
        generator.SetNextUpdate(thisUpdate.UtcDateTime.AddDays(1));
        return generator;
    }

    private static byte[] Sign(X509V2CrlGenerator generator, TestPki pki) =>
        generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pki.BcPrivateKey)).GetEncoded();
}
