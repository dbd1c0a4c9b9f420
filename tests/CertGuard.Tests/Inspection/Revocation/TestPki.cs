using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Tests.Inspection.Revocation;

/// <summary>A certificate authority minted at test time, with BouncyCastle views of its certificate and key for signing OCSP responses and CRLs.</summary>
internal sealed class TestPki : IDisposable
{
    private TestPki(X509Certificate2 ca, ECDsa key)
    {
        Certificate = ca;
        Key = key;
        BcCertificate = new BcCertificate(ca.RawData);
        BcPrivateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }

    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    public BcCertificate BcCertificate { get; }

    public AsymmetricKeyParameter BcPrivateKey { get; }

    public static TestPki Create(string name = "CertGuard Revocation Test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
        return new TestPki(ca, key);
    }

    /// <summary>A TLS server certificate issued by this CA, naming the given OCSP responders and CRL distribution points.</summary>
    public X509Certificate2 IssueLeaf(string name, IEnumerable<string>? ocspUrls = null, IEnumerable<string>? crlUrls = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return IssueLeaf(name, key, ocspUrls, crlUrls, null);
    }

    /// <summary>The same, with its private key, for a TLS server to present.</summary>
    public X509Certificate2 IssueServerCertificate(string name, IEnumerable<string>? ocspUrls = null, IEnumerable<string>? crlUrls = null, IEnumerable<string>? caIssuersUrls = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = IssueLeaf(name, key, ocspUrls, crlUrls, caIssuersUrls);
        return certificate.CopyWithPrivateKey(key);
    }

    private X509Certificate2 IssueLeaf(string name, ECDsa key, IEnumerable<string>? ocspUrls, IEnumerable<string>? crlUrls, IEnumerable<string>? caIssuersUrls)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(name);
        request.CertificateExtensions.Add(sans.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var ocsp = ocspUrls?.ToList() ?? [];
        var caIssuers = caIssuersUrls?.ToList() ?? [];
        if (ocsp.Count > 0 || caIssuers.Count > 0)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocsp, caIssuers));
        }

        var crl = crlUrls?.ToList() ?? [];
        if (crl.Count > 0)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(crl));
        }

        var now = DateTimeOffset.UtcNow;
        return request.Create(Certificate, now.AddDays(-1), now.AddDays(60), RandomSerial());
    }

    /// <summary>A delegated OCSP responder certificate issued by this CA, with or without the OCSPSigning EKU.</summary>
    public (BcCertificate Certificate, AsymmetricKeyParameter Key) IssueResponder(bool withOcspSigning)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=CertGuard Test OCSP Responder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = withOcspSigning ? "1.3.6.1.5.5.7.3.9" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(Certificate, now.AddDays(-1), now.AddDays(30), RandomSerial());
        return (new BcCertificate(certificate.RawData), PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }

    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x10;
        return serial;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
