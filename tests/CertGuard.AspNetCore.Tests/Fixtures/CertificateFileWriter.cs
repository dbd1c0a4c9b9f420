using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>Writes certificates the ways servers find them: PEM certificate (with chain) and key, PKCS#12, garbage.</summary>
public static class CertificateFileWriter
{
    /// <summary>The certificate (then the chain) as PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null) =>
        string.Concat(new[] { certificate }.Concat(chain ?? []).Select(c => c.ExportCertificatePem() + "\n"));

    /// <summary>The certificate's private key as unencrypted PKCS#8 PEM.</summary>
    public static string KeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>
    /// Writes the certificate (and chain) and its key as two PEM files, in place (truncate and write); a new key file is
    /// readable only by its owner (0600), as certbot, cert-manager and careful deployments write it.
    /// </summary>
    public static void WritePem(string certificatePath, string keyPath, X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null)
    {
        File.WriteAllText(certificatePath, CertificatePem(certificate, chain));
        File.WriteAllText(keyPath, KeyPem(certificate));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Writes the certificate and key as a PKCS#12 file protected by a password.</summary>
    public static void WritePfx(string path, X509Certificate2 certificate, string password) =>
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));

    /// <summary>
    /// Lays out files as a Kubernetes secret volume does: <c>dir/..&lt;version&gt;/tls.crt</c> and <c>tls.key</c>, a
    /// <c>..data</c> link to the version directory, and <c>tls.crt</c>, <c>tls.key</c> links through <c>..data</c>.
    /// Calling it again swaps <c>..data</c> atomically to a new version directory, as the kubelet does.
    /// </summary>
    public static void WriteKubernetesSecret(string directory, string version, X509Certificate2 certificate)
    {
        var versionDirectory = Path.Combine(directory, ".." + version);
        Directory.CreateDirectory(versionDirectory);
        WritePem(Path.Combine(versionDirectory, "tls.crt"), Path.Combine(versionDirectory, "tls.key"), certificate);

        var data = Path.Combine(directory, "..data");
        var staging = Path.Combine(directory, "..data_tmp");
        File.CreateSymbolicLink(staging, ".." + version);
        Rename(staging, data);
        foreach (var name in new[] { "tls.crt", "tls.key" })
        {
            var link = Path.Combine(directory, name);
            if (!File.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", name));
            }
        }
    }

    /// <summary>rename(2): replaces the destination atomically, even a link to a directory.</summary>
    public static void Rename(string source, string destination)
    {
        if (rename(source, destination) != 0)
        {
            throw new IOException($"rename {source} -> {destination} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, CA2101, SYSLIB1054 // the C library's name; a test fixture on Linux
    private static extern int rename(string oldpath, string newpath);
#pragma warning restore SA1300, CA2101, SYSLIB1054
}
