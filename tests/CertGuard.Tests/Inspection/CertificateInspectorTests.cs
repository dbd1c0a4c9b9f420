using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests.Inspection;

public sealed class CertificateInspectorTests
{
    private readonly CertificateInspector _inspector = new(new FakeTimeProvider(TestCertificates.Now));

    private static LoadedCertificate Loaded(X509Certificate2 certificate, params X509Certificate2[] chain) =>
        new(certificate, "test.pem", CertificateFormat.Pem) { PresentedChain = chain };

    [Fact]
    public void Identity_validity_and_thumbprints_are_read()
    {
        var notBefore = TestCertificates.Now.AddDays(-3);
        var notAfter = TestCertificates.Now.AddDays(60);
        using var certificate = TestCertificates.Create("CN=api.example.test, O=Example, C=NL", notBefore, notAfter);

        var facts = _inspector.Inspect(Loaded(certificate));

        Assert.Equal("api.example.test", facts.SubjectCommonName);
        Assert.Equal("CN=api.example.test, O=Example, C=NL", facts.Subject);
        Assert.Equal(certificate.SerialNumber, facts.SerialNumber);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), facts.ThumbprintSha256);
        Assert.Equal(certificate.Thumbprint, facts.ThumbprintSha1);
        Assert.Equal(notBefore, facts.NotBefore);
        Assert.Equal(notAfter, facts.NotAfter);
        Assert.Equal(TimeSpan.FromDays(63), facts.Lifetime);
        Assert.Equal(3, facts.Version);
    }

    [Theory]
    [InlineData(KeyKind.Rsa2048, "RSA", 2048, null, "sha256WithRSAEncryption")]
    [InlineData(KeyKind.Rsa1024, "RSA", 1024, null, "sha256WithRSAEncryption")]
    [InlineData(KeyKind.EcP256, "ECDSA", 256, "P-256", "ecdsa-with-SHA256")]
    [InlineData(KeyKind.EcP384, "ECDSA", 384, "P-384", "ecdsa-with-SHA256")]
    public void Key_algorithm_size_curve_and_signature_are_read(KeyKind key, string algorithm, int size, string? curve, string signature)
    {
        using var certificate = TestCertificates.Create(key: key);

        var facts = _inspector.Inspect(Loaded(certificate));

        Assert.Equal(algorithm, facts.KeyAlgorithm);
        Assert.Equal(size, facts.KeySize);
        Assert.Equal(curve, facts.KeyCurve);
        Assert.Equal(signature, facts.SignatureAlgorithm);
        Assert.Equal("sha256", facts.SignatureHashAlgorithm);
    }

    [Fact]
    public void Sha384_signature_hash_is_named()
    {
        using var certificate = TestCertificates.Create(hash: HashAlgorithmName.SHA384);
        Assert.Equal("sha384", _inspector.Inspect(Loaded(certificate)).SignatureHashAlgorithm);
    }

    [Fact]
    public void Subject_alternative_names_of_every_kind_are_read_in_openssl_notation()
    {
        using var certificate = TestCertificates.Create(customize: request =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("www.example.test");
            san.AddIpAddress(IPAddress.Parse("192.0.2.7"));
            san.AddIpAddress(IPAddress.Parse("2001:db8::1"));
            san.AddEmailAddress("ops@example.test");
            san.AddUri(new Uri("spiffe://example.test/api"));
            request.CertificateExtensions.Add(san.Build());
        });

        var facts = _inspector.Inspect(Loaded(certificate));

        Assert.Equal(
            ["DNS:www.example.test", "IP:192.0.2.7", "IP:2001:db8::1", "email:ops@example.test", "URI:spiffe://example.test/api"],
            facts.SubjectAlternativeNames.Select(n => n.ToString()));
    }

    [Fact]
    public void Constraints_usages_and_distribution_points_are_read()
    {
        using var certificate = TestCertificates.Create(ekus: [TestCertificates.Oids.ServerAuth, TestCertificates.Oids.ClientAuth], customize: request =>
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(["http://ocsp.example.test"], ["http://ca.example.test/ca.crt"]));
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://crl.example.test/ca.crl"]));
        });

        var facts = _inspector.Inspect(Loaded(certificate));

        Assert.False(facts.IsCertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, facts.KeyUsage);
        Assert.Equal(["serverAuth", "clientAuth"], facts.ExtendedKeyUsages);
        Assert.Equal(["http://ocsp.example.test"], facts.OcspUrls);
        Assert.Equal(["http://ca.example.test/ca.crt"], facts.CaIssuerUrls);
        Assert.Equal(["http://crl.example.test/ca.crl"], facts.CrlDistributionPoints);
    }

    [Fact]
    public void Ca_with_path_length_and_self_signed_root_are_recognized()
    {
        using var root = TestCertificates.Create("CN=Root", isCa: true, customize: r =>
        {
            r.CertificateExtensions.Remove(r.CertificateExtensions.OfType<X509BasicConstraintsExtension>().Single());
            r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        });

        var facts = _inspector.Inspect(Loaded(root));

        Assert.True(facts.IsCertificateAuthority);
        Assert.Equal(1, facts.PathLengthConstraint);
        Assert.True(facts.IsSelfSigned);
    }

    [Fact]
    public void Issued_certificate_is_not_self_signed_and_its_presented_chain_is_summarized()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        using var oldCrossSigned = TestCertificates.Create("CN=Old Cross-Signed CA", notAfter: TestCertificates.Now.AddDays(5), isCa: true);

        var facts = _inspector.Inspect(Loaded(leaf, intermediate, oldCrossSigned, root));

        Assert.False(facts.IsSelfSigned);
        Assert.Equal(["CN=Test Intermediate CA", "CN=Old Cross-Signed CA", "CN=Test Root CA"], facts.PresentedChain.Select(c => c.Subject));
        Assert.Equal(TestCertificates.Now.AddDays(5), facts.PresentedChainNotAfter);
        Assert.Null(facts.Chain);
    }

    [Fact]
    public void Chain_with_custom_trust_is_trusted_and_reports_the_verified_chain()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();

        var facts = _inspector.Inspect(Loaded(leaf, intermediate), ChainTrust.Custom([root]));

        Assert.NotNull(facts.Chain);
        Assert.True(facts.Chain.IsTrusted, string.Join(", ", facts.Chain.Problems));
        Assert.True(facts.Chain.IsComplete);
        Assert.Equal(3, facts.Chain.Elements.Count);
        var earliest = new[] { root, intermediate, leaf }.Min(c => c.NotAfter.ToUniversalTime());
        Assert.Equal(earliest, facts.Chain.EarliestNotAfter!.Value.UtcDateTime);
    }

    [Fact]
    public void Chain_trusting_another_root_is_untrusted()
    {
        var (_, intermediate, leaf) = TestCertificates.CreateChain();
        using var otherRoot = TestCertificates.Create("CN=Other Root", isCa: true);

        var facts = _inspector.Inspect(Loaded(leaf, intermediate), ChainTrust.Custom([otherRoot]));

        Assert.False(facts.Chain!.IsTrusted);
        Assert.NotEmpty(facts.Chain.Problems);
    }

    [Fact]
    public void Chain_missing_its_intermediate_is_incomplete()
    {
        var (root, _, leaf) = TestCertificates.CreateChain();

        var facts = _inspector.Inspect(Loaded(leaf), ChainTrust.Custom([root]));

        Assert.False(facts.Chain!.IsTrusted);
        Assert.False(facts.Chain.IsComplete);
        Assert.Contains(facts.Chain.Problems, p => p.Contains("PartialChain", StringComparison.Ordinal));
    }

    [Fact]
    public void Private_key_protection_and_connection_come_from_the_loaded_certificate()
    {
        using var certificate = TestCertificates.Create();
        var loaded = new LoadedCertificate(certificate, "k.pem", CertificateFormat.Pem) { PrivateKeyProtection = PrivateKeyProtection.Unencrypted, Entry = "2" };

        var facts = _inspector.Inspect(loaded);

        Assert.True(facts.HasPrivateKey);
        Assert.Equal(PrivateKeyProtection.Unencrypted, facts.PrivateKeyProtection);
        Assert.Equal("k.pem#2", facts.DisplayLocation);
    }

    [Fact]
    public void Damaged_extension_reads_as_absent_without_hiding_the_rest()
    {
        using var certificate = TestCertificates.Create(dnsNames: ["ok.example.test"], customize: request =>
            request.CertificateExtensions.Add(new X509Extension("2.5.29.31", new byte[] { 0x30, 0x03, 0x04, 0x01, 0xFF }, false)));

        var facts = _inspector.Inspect(Loaded(certificate));

        Assert.Empty(facts.CrlDistributionPoints);
        Assert.Equal("DNS:ok.example.test", Assert.Single(facts.SubjectAlternativeNames).ToString());
    }
}
