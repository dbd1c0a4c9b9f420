using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Samples.AnalyzerDemo;

/// <summary>CG1001 and CG1002: where the certificate and its password come from.</summary>
internal static class HardCodedCertificateLocations
{
    private const string PfxPassword = "changeit";

    // CG1001 (path) and CG1002 (password).
    public static X509Certificate2 LoadFromFixedPath() =>
        X509CertificateLoader.LoadPkcs12FromFile("certs/server.pfx", PfxPassword);

    // CG1001: bytes read from a fixed path are the same thing.
    public static X509Certificate2 LoadFromFixedBytes() =>
        X509CertificateLoader.LoadCertificate(File.ReadAllBytes(Path.Combine("certs", "ca.cer")));

    // Compliant: the path and password come from the environment (or configuration).
    public static X509Certificate2 LoadFromConfiguration() =>
        X509CertificateLoader.LoadPkcs12FromFile(
            Environment.GetEnvironmentVariable("CERT_PATH") ?? throw new InvalidOperationException("CERT_PATH is not set."),
            Environment.GetEnvironmentVariable("CERT_PASSWORD"));
}
