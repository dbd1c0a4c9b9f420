using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Tests;

/// <summary>Mints certificates at test time, so no test depends on a committed certificate's dates.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset Now = new(2030, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 Create(
        string subject = "CN=leaf.example.test",
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        KeyKind key = KeyKind.Rsa2048,
        HashAlgorithmName? hash = null,
        string[]? dnsNames = null,
        bool isCa = false,
        string[]? ekus = null,
        X509Certificate2? issuer = null,
        Action<CertificateRequest>? customize = null)
    {
        using var algorithm = CreateKey(key);
        var request = algorithm switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, hash ?? HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        if (isCa)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (dnsNames is { Length: > 0 })
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                if (IPAddress.TryParse(name, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        if (ekus is { Length: > 0 })
        {
            var collection = new OidCollection();
            foreach (var eku in ekus)
            {
                collection.Add(new Oid(eku));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(collection, false));
        }

        customize?.Invoke(request);
        var from = notBefore ?? Now.AddDays(-10);
        var to = notAfter ?? Now.AddDays(80);
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, from, to, serial);
        return algorithm switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => signed.CopyWithPrivateKey(ecdsa),
            _ => throw new NotSupportedException(),
        };
    }

    /// <summary>A root, an intermediate and a leaf for <c>leaf.example.test</c>.</summary>
    public static (X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Leaf) CreateChain(
        DateTimeOffset? leafNotAfter = null, DateTimeOffset? intermediateNotAfter = null)
    {
        var root = Create("CN=Test Root CA", Now.AddYears(-1), Now.AddYears(10), isCa: true);
        var intermediate = Create("CN=Test Intermediate CA", Now.AddYears(-1), intermediateNotAfter ?? Now.AddYears(5), isCa: true, issuer: root);
        var leaf = Create("CN=leaf.example.test", Now.AddDays(-10), leafNotAfter ?? Now.AddDays(80), dnsNames: ["leaf.example.test"],
            ekus: [Oids.ServerAuth], issuer: intermediate);
        return (root, intermediate, leaf);
    }

    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    public static string PrivateKeyPem(X509Certificate2 certificate) =>
        (certificate.GetRSAPrivateKey() as AsymmetricAlgorithm ?? certificate.GetECDsaPrivateKey())!.ExportPkcs8PrivateKeyPem();

    public static string EncryptedPrivateKeyPem(X509Certificate2 certificate, string password) =>
        (certificate.GetRSAPrivateKey() as AsymmetricAlgorithm ?? certificate.GetECDsaPrivateKey())!.ExportEncryptedPkcs8PrivateKeyPem(
            password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));

    public static byte[] Pfx(X509Certificate2 certificate, string? password, params X509Certificate2[] chain)
    {
        var collection = new X509Certificate2Collection { certificate };
        collection.AddRange(chain);
        return collection.Export(X509ContentType.Pkcs12, password)!;
    }

    private static AsymmetricAlgorithm CreateKey(KeyKind key) => key switch
    {
        KeyKind.Rsa1024 => RSA.Create(1024),
        KeyKind.Rsa2048 => RSA.Create(2048),
        KeyKind.Rsa4096 => RSA.Create(4096),
        KeyKind.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyKind.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    public static class Oids
    {
        public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
        public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    }
}

public enum KeyKind
{
    Rsa1024,
    Rsa2048,
    Rsa4096,
    EcP256,
    EcP384,
}
