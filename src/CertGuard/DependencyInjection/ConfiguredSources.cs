using System.Globalization;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.DependencyInjection;

/// <summary>Turns validated <c>CertGuard:Certificates</c> entries into sources.</summary>
internal static class ConfiguredSources
{
    public static bool EndpointsSupported => false;

    public static string? NameOf(CertificateSourceOptions item) =>
        !string.IsNullOrWhiteSpace(item.Name) ? item.Name
        : !string.IsNullOrWhiteSpace(item.Path) ? item.Path
        : !string.IsNullOrWhiteSpace(item.Directory) ? item.Directory
        : !string.IsNullOrWhiteSpace(item.Endpoint) ? item.Endpoint
        : !string.IsNullOrWhiteSpace(item.StoreName) ? $"store:{item.StoreLocation}/{item.StoreName}"
        : null;

    public static (string Host, int Port)? ParseEndpoint(string endpoint)
    {
        var separator = endpoint.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(endpoint.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = endpoint[..separator];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return string.IsNullOrWhiteSpace(host) ? null : (host, port);
    }

    public static CertificateSource Create(CertificateSourceOptions item)
    {
        var name = NameOf(item) ?? throw new InvalidOperationException("The certificate entry names no certificate.");
        var source = CreateSource(item, name);
        return source;
    }

    private static CertificateSource CreateSource(CertificateSourceOptions item, string name)
    {
        var trust = TrustOf(item);
        if (!string.IsNullOrWhiteSpace(item.Path))
        {
            return new FileCertificateSource(item.Path, LoadOptionsOf(item, item.KeyPath), name)
            {
                Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.None, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
            };
        }

        if (!string.IsNullOrWhiteSpace(item.Directory))
        {
            return new DirectoryCertificateSource(item.Directory, item.Include, item.Exclude, LoadOptionsOf(item, keyPath: null), name)
            {
                Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.None, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
            };
        }

        if (!string.IsNullOrWhiteSpace(item.StoreName))
        {
            return new StoreCertificateSource(item.StoreName, item.StoreLocation, item.Thumbprint, item.Subject, name)
            {
                Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.None, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
            };
        }

        throw new InvalidOperationException($"Certificate '{name}': endpoint sources are not available in this build.");
    }

    private static CertificateLoadOptions LoadOptionsOf(CertificateSourceOptions item, string? keyPath)
    {
        var password = !string.IsNullOrEmpty(item.PasswordEnvironmentVariable)
            ? Environment.GetEnvironmentVariable(item.PasswordEnvironmentVariable)
            : item.Password;
        return new CertificateLoadOptions
        {
            KeyPath = string.IsNullOrWhiteSpace(keyPath) ? null : keyPath,
            Passwords = string.IsNullOrEmpty(password) ? [] : [password],
        };
    }

    private static ChainTrust? TrustOf(CertificateSourceOptions item)
    {
        switch (item.Trust)
        {
            case null:
                return null;
            case ChainTrustMode.None:
                return ChainTrust.None;
            case ChainTrustMode.System:
                return ChainTrust.System;
            default:
                // The roots outlive the load result: keep copies, since disposing the result disposes its certificates.
                using (var roots = CertificateLoader.LoadFile(item.TrustedRootsPath!))
                {
                    return ChainTrust.Custom(roots.Certificates.Select(c => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.Certificate.RawData)));
                }
        }
    }
}
