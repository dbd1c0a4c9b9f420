using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Cli.Tests;

/// <summary>Certificates minted at test time, with dates relative to now: no committed certificate can expire under the suite.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Mint(string commonName, TimeSpan validFromNow, TimeSpan lifetime, bool rsa = false, string[]? dnsNames = null)
    {
        var notAfter = DateTimeOffset.UtcNow + validFromNow;
        var notBefore = notAfter - lifetime;
        using var ecdsa = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = rsa
            ? new CertificateRequest(subject.Build(), rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject.Build(), ecdsa!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? [commonName])
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>Valid for 200 more days of a 365-day life: healthy under the default policy.</summary>
    public static X509Certificate2 Healthy(string name = "healthy.example") => Mint(name, TimeSpan.FromDays(200), TimeSpan.FromDays(365));

    /// <summary>Five days left of 90: inside the default warning window (30 days).</summary>
    public static X509Certificate2 ExpiringSoon(string name = "soon.example") => Mint(name, TimeSpan.FromDays(5), TimeSpan.FromDays(90));

    /// <summary>Expired ten days ago.</summary>
    public static X509Certificate2 Expired(string name = "expired.example") => Mint(name, TimeSpan.FromDays(-10), TimeSpan.FromDays(90));

    public static string Pem(params X509Certificate2[] certificates) => string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    public static void WritePem(string path, params X509Certificate2[] certificates)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Pem(certificates));
    }

    public static void WritePfx(string path, X509Certificate2 certificateWithKey, string password)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, certificateWithKey.Export(X509ContentType.Pfx, password));
    }
}
