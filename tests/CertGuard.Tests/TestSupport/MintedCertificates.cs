using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Tests.TestSupport;

/// <summary>Certificates minted at test time, with dates relative to the test's clock: never a time bomb.</summary>
internal static class MintedCertificates
{
    public static X509Certificate2 Create(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>A certificate with <paramref name="lifetimeDays"/> of life, of which <paramref name="daysLeft"/> remain at <paramref name="now"/>.</summary>
    public static X509Certificate2 WithDaysLeft(string commonName, DateTimeOffset now, double daysLeft, double lifetimeDays = 90)
    {
        var notAfter = now.AddDays(daysLeft);
        return Create(commonName, notAfter.AddDays(-lifetimeDays), notAfter);
    }

    public static string WritePem(string path, X509Certificate2 certificate)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
