using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>
/// A certificate authority minted at test time (ECDSA P-256, dates relative to now), which issues intermediates and
/// TLS server certificates. Nothing is committed, so nothing expires in the repository.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The authority's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A self-signed root, valid from two years ago for ten years.</summary>
    /// <param name="commonName">The root's common name.</param>
    /// <returns>The root.</returns>
    public static TestCertificateAuthority CreateRoot(string commonName = "CertGuard Test Root")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AuthorityRequest(commonName, key);
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddYears(-2), now.AddYears(10)));
    }

    /// <summary>An intermediate issued by this authority, valid from one year ago for five years.</summary>
    /// <param name="commonName">The intermediate's common name.</param>
    /// <param name="paddingBytes">The size of a private, non-critical extension that only makes the certificate bigger.</param>
    /// <returns>The intermediate.</returns>
    public TestCertificateAuthority CreateIntermediate(string commonName = "CertGuard Test Intermediate", int paddingBytes = 0)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AuthorityRequest(commonName, key);
        if (paddingBytes > 0)
        {
            var padding = new AsnWriter(AsnEncodingRules.DER);
            padding.WriteOctetString(new byte[paddingBytes]);
            request.CertificateExtensions.Add(new X509Extension(new Oid("1.3.6.1.4.1.55555.1.1"), padding.Encode(), critical: false));
        }

        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Certificate, now.AddYears(-1), WithinIssuer(now.AddYears(5)), NewSerialNumber());
        return new TestCertificateAuthority(issued.CopyWithPrivateKey(key));
    }

    /// <summary>A chain of intermediates below this authority, each issued by the one before.</summary>
    /// <param name="count">How many.</param>
    /// <param name="paddingBytes">Padding in each; see <see cref="CreateIntermediate"/>.</param>
    /// <returns>The intermediates, the one issued by this authority first; the caller disposes them.</returns>
    public List<TestCertificateAuthority> CreateIntermediates(int count, int paddingBytes = 0)
    {
        var chain = new List<TestCertificateAuthority>();
        for (var i = 0; i < count; i++)
        {
            chain.Add((chain.Count == 0 ? this : chain[^1]).CreateIntermediate($"CertGuard Test Intermediate {i + 1}", paddingBytes));
        }

        return chain;
    }

    /// <summary>A TLS server certificate issued by this authority.</summary>
    /// <param name="commonName">The subject's common name.</param>
    /// <param name="dnsNames">DNS subject alternative names; the common name when null.</param>
    /// <param name="ipAddresses">IP address subject alternative names.</param>
    /// <param name="notBefore">Start of validity; a day ago when null.</param>
    /// <param name="notAfter">End of validity; 90 days from now when null.</param>
    /// <returns>The certificate, with its private key.</returns>
    public X509Certificate2 IssueServerCertificate(
        string commonName,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(commonName, dnsNames, ipAddresses, key);
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Certificate, notBefore ?? now.AddDays(-1), notAfter ?? WithinIssuer(now.AddDays(90)), NewSerialNumber());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed TLS server certificate, valid from a day ago for 90 days.</summary>
    /// <param name="commonName">The subject's common name, also its only DNS name.</param>
    /// <returns>The certificate, with its private key.</returns>
    public static X509Certificate2 CreateSelfSignedServerCertificate(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return ServerRequest(commonName, null, null, key).CreateSelfSigned(now.AddDays(-1), now.AddDays(90));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    /// <summary>
    /// The platform refuses to issue past the issuer's own expiry; an intermediate issued by an intermediate a second
    /// later would otherwise ask for exactly that.
    /// </summary>
    private DateTimeOffset WithinIssuer(DateTimeOffset notAfter)
    {
        var issuerNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notAfter < issuerNotAfter ? notAfter : issuerNotAfter;
    }

    private static CertificateRequest AuthorityRequest(string commonName, ECDsa key)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static CertificateRequest ServerRequest(string commonName, IEnumerable<string>? dnsNames, IEnumerable<IPAddress>? ipAddresses, ECDsa key)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames ?? [commonName])
        {
            names.AddDnsName(dnsName);
        }

        foreach (var address in ipAddresses ?? [])
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
