using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Samples.AnalyzerDemo;

/// <summary>CG1003, CG1004 and CG1005: TLS validation switched off in its different ways.</summary>
internal static class DisabledValidation
{
    // CG1003: accepts any server certificate.
    public static HttpClientHandler AcceptAnyCertificate() => new()
    {
        ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true,
    };

    // CG1004: a revoked certificate would still be trusted.
    // CG1005: expired certificates and unknown authorities are ignored.
    public static bool BuildLenientChain(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority | X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }

    // CG1005: a name mismatch is waved through.
    public static HttpClientHandler AcceptNameMismatch() => new()
    {
        ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            errors == SslPolicyErrors.None || errors == SslPolicyErrors.RemoteCertificateNameMismatch,
    };

    // Compliant: the platform's verdict, and revocation checked.
    public static HttpClientHandler Validating() => new()
    {
        CheckCertificateRevocationList = true,
        ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => errors == SslPolicyErrors.None,
    };
}
