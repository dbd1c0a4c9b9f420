using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Tests.Inspection.Revocation;

/// <summary>A certificate as the scanner would hand it to the checker: loaded with its presented chain, and inspected.</summary>
internal static class RevocationTestCertificate
{
    public static (LoadedCertificate Loaded, CertificateFacts Facts) Prepare(X509Certificate2 certificate, params X509Certificate2[] presented)
    {
        var loaded = new LoadedCertificate(certificate, "service.pem", CertificateFormat.Pem) { PresentedChain = presented };
        return (loaded, new CertificateInspector().Inspect(loaded));
    }
}
