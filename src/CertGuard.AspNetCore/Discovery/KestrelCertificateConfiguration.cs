using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Sources;
using Microsoft.Extensions.Configuration;

namespace CertGuard.AspNetCore.Discovery;

/// <summary>Reads a certificate from Kestrel's configuration shape: a file (<c>Path</c>, <c>KeyPath</c>, <c>Password</c>) or a store entry (<c>Subject</c>, <c>Store</c>, <c>Location</c>).</summary>
internal static class KestrelCertificateConfiguration
{
    /// <summary>The source for a <c>Certificate</c> section, or null when it names none.</summary>
    public static CertificateSource? CreateSource(string name, IConfigurationSection certificate)
    {
        if (certificate["Path"] is { Length: > 0 } path)
        {
            return new FileCertificateSource(path, LoadOptions(certificate["KeyPath"], certificate["Password"]), name);
        }

        if (certificate["Subject"] is { Length: > 0 } subject)
        {
            var location = Enum.TryParse<StoreLocation>(certificate["Location"], ignoreCase: true, out var parsed) ? parsed : StoreLocation.CurrentUser;
            return new StoreCertificateSource(certificate["Store"] is { Length: > 0 } store ? store : "My", location, subject: subject, name: name);
        }

        return null;
    }

    /// <summary>Load options for a key file and a password, either of which may be missing.</summary>
    public static CertificateLoadOptions LoadOptions(string? keyPath, string? password) => new()
    {
        KeyPath = string.IsNullOrEmpty(keyPath) ? null : keyPath,
        Passwords = string.IsNullOrEmpty(password) ? [] : [password],
    };
}
