using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Cli.Scanning;

/// <summary>Reads the roots given with <c>--trust</c>, through the library's loader (PEM bundles, DER, P7B).</summary>
internal static class TrustFile
{
    public static ChainTrust Read(string path, string displayName)
    {
        using var loaded = CertificateLoader.LoadFile(path);
        if (loaded.Certificates.Count == 0)
        {
            var why = loaded.Errors.Count > 0 ? $"{loaded.Errors[0].Reason}: {loaded.Errors[0].Message}" : "it holds no certificate";
            throw new UsageException($"--trust '{displayName}' cannot be used ({why}).");
        }

        // Copies outlive the load result, which disposes the certificates it loaded.
        var roots = loaded.Certificates.Select(c => X509CertificateLoader.LoadCertificate(c.Certificate.RawData)).ToList();
        return ChainTrust.Custom(roots);
    }
}
