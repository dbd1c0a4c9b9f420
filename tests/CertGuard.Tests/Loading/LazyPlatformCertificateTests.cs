using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Tests.Loading;

/// <summary>A PEM or DER certificate with no key is read by the managed parser; its platform certificate is created only when asked for.</summary>
public sealed class LazyPlatformCertificateTests
{
    private readonly CertificateInspector _inspector = new();

    [Fact]
    public void Loading_and_inspecting_a_pem_certificate_without_trust_creates_no_platform_certificate()
    {
        using var leaf = TestCertificates.Create(dnsNames: ["leaf.example.test"]);
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf)), "leaf.pem");
        var loaded = Assert.Single(result.Certificates);

        var facts = _inspector.Inspect(loaded);

        Assert.Null(loaded.Handle.CreatedCertificate);
        Assert.Equal(leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), facts.ThumbprintSha256);
        Assert.Equal(leaf.Subject, facts.Subject);
        Assert.Equal(leaf.SerialNumber, facts.SerialNumber);
        Assert.Equal(["leaf.example.test"], facts.SubjectAlternativeNames.Select(n => n.Value));
        Assert.Equal("leaf.pem: CN=leaf.example.test", loaded.ToString());
        Assert.Null(loaded.Handle.CreatedCertificate);
    }

    [Fact]
    public void Loading_a_der_certificate_creates_no_platform_certificate()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(leaf.RawData, "leaf.der");

        var loaded = Assert.Single(result.Certificates);
        Assert.Equal(CertificateFormat.Der, loaded.Format);
        Assert.Null(loaded.Handle.CreatedCertificate);
    }

    [Fact]
    public void Inspecting_with_trust_creates_the_platform_certificate_to_build_the_chain()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf)), "leaf.pem");
        var loaded = Assert.Single(result.Certificates);

        var facts = new CertificateInspector().Inspect(loaded, ChainTrust.Custom([root]));

        Assert.NotNull(loaded.Handle.CreatedCertificate);
        Assert.NotNull(facts.Chain);
        root.Dispose();
        intermediate.Dispose();
        leaf.Dispose();
    }

    [Fact]
    public void The_certificate_property_creates_one_platform_certificate_however_many_threads_ask()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf)), "leaf.pem");
        var loaded = Assert.Single(result.Certificates);

        var seen = new X509Certificate2[16];
        Parallel.For(0, seen.Length, i => seen[i] = loaded.Certificate);

        Assert.All(seen, c => Assert.Same(seen[0], c));
        Assert.Same(seen[0], loaded.Handle.CreatedCertificate);
        Assert.Equal(leaf.Thumbprint, seen[0].Thumbprint);
    }

    [Fact]
    public void Disposing_the_result_disposes_a_created_certificate_and_refuses_to_create_one_later()
    {
        using var leaf = TestCertificates.Create();
        var pem = Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf));

        var used = CertificateLoader.Load(pem, "used.pem");
        var created = used.Certificates[0].Certificate;
        used.Dispose();
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => created.Thumbprint);

        var unused = CertificateLoader.Load(pem, "unused.pem");
        var loaded = unused.Certificates[0];
        unused.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loaded.Certificate);
    }

    [Fact]
    public void A_full_chain_shares_one_platform_certificate_between_an_entry_and_the_leafs_presented_chain()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf, intermediate, root)), "fullchain.pem");

        Assert.Same(result.Certificates[1].Certificate, result.Certificates[0].PresentedChain[0]);
        Assert.True(result.Certificates[1].IsChainMember);
        root.Dispose();
        intermediate.Dispose();
        leaf.Dispose();
    }

    [Fact]
    public void A_key_in_the_file_is_matched_against_the_certificate_read_lazily()
    {
        using var leaf = TestCertificates.Create();
        using var other = TestCertificates.Create(subject: "CN=other.example.test");
        var matching = TestCertificates.Pem(leaf) + TestCertificates.PrivateKeyPem(leaf);
        var mismatched = TestCertificates.Pem(leaf) + TestCertificates.PrivateKeyPem(other);

        using var good = CertificateLoader.Load(Encoding.ASCII.GetBytes(matching), "good.pem");
        using var bad = CertificateLoader.Load(Encoding.ASCII.GetBytes(mismatched), "bad.pem");

        Assert.Equal(PrivateKeyProtection.Unencrypted, Assert.Single(good.Certificates).PrivateKeyProtection);
        Assert.Empty(good.Errors);
        Assert.Equal(PrivateKeyProtection.Absent, Assert.Single(bad.Certificates).PrivateKeyProtection);
        Assert.Equal(LoadErrorReason.KeyMismatch, Assert.Single(bad.Errors).Reason);
    }

    [Fact]
    public void Der_the_managed_parser_refuses_still_gets_the_platforms_reason()
    {
        using var leaf = TestCertificates.Create();
        var truncated = leaf.RawData[..^10];
        var trailing = leaf.RawData.Concat(new byte[] { 0x05, 0x00 }).ToArray();

        Assert.NotNull(CertificateFieldReader.TryReadManaged(leaf.RawData));
        Assert.Null(CertificateFieldReader.TryReadManaged(truncated));
        Assert.Null(CertificateFieldReader.TryReadManaged(trailing));

        Assert.Null(DerCertificateDecoder.TryRead(truncated, out var problem));
        Assert.StartsWith("not a valid X.509 certificate", problem, StringComparison.Ordinal);

        // Trailing bytes are the platform's call (it accepts them): such a certificate loads, created eagerly.
        var accepted = DerCertificateDecoder.TryRead(trailing, out _);
        Assert.NotNull(accepted?.CreatedCertificate);
        Assert.Equal(leaf.Thumbprint, accepted!.Fields.ThumbprintSha1);
    }
}
