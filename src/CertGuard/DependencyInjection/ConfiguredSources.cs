using System.Globalization;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.DependencyInjection;

/// <summary>Turns validated <c>CertGuard:Certificates</c> entries into sources.</summary>
internal static class ConfiguredSources
{
    public static string? NameOf(CertificateSourceOptions item) =>
        !string.IsNullOrWhiteSpace(item.Name) ? item.Name
        : !string.IsNullOrWhiteSpace(item.Path) ? item.Path
        : !string.IsNullOrWhiteSpace(item.Directory) ? item.Directory
        : !string.IsNullOrWhiteSpace(item.Endpoint) ? item.Endpoint
        : !string.IsNullOrWhiteSpace(item.StoreName) ? $"store:{item.StoreLocation}/{item.StoreName}"
        : null;

    /// <summary>
    /// Every public setting of <paramref name="options"/> in one string, so two readings of configuration can be
    /// compared. Holds passwords: compare it, never show it.
    /// </summary>
    public static string Signature(object options)
    {
        var text = new System.Text.StringBuilder();
        foreach (var property in options.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = property.GetValue(options);
            var shown = value is System.Collections.IEnumerable list and not string
                ? string.Join("\u001f", list.Cast<object?>())
                : Convert.ToString(value, CultureInfo.InvariantCulture);
            text.Append(property.Name).Append('=').Append(shown).Append('\u001e');
        }

        return text.ToString();
    }

    /// <summary>Why the endpoint entry cannot be used, or null when it can.</summary>
    public static string? EndpointProblem(string endpoint, string? serverName)
    {
        try
        {
            _ = TlsEndpointCertificateSource.Parse(endpoint, serverName);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    /// <summary>How long a file that fails to load must have been left alone before a monitored source judges it.</summary>
    public static readonly TimeSpan MonitoredWriteSettleTime = TimeSpan.FromSeconds(5);

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
                Revocation = item.Revocation ?? RevocationCheckMode.Off,
                WriteSettleTime = item.WriteSettleTime ?? MonitoredWriteSettleTime,
            };
        }

        if (!string.IsNullOrWhiteSpace(item.Directory))
        {
            return new DirectoryCertificateSource(item.Directory, item.Include, item.Exclude, LoadOptionsOf(item, keyPath: null), name)
            {
                Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.None, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
                Revocation = item.Revocation ?? RevocationCheckMode.Off,
                UnreadableFileSeverity = item.UnreadableFileSeverity ?? FindingSeverity.Warning,
                WriteSettleTime = item.WriteSettleTime ?? MonitoredWriteSettleTime,
            };
        }

        if (!string.IsNullOrWhiteSpace(item.StoreName))
        {
            return new StoreCertificateSource(item.StoreName, item.StoreLocation, item.Thumbprint, item.Subject, name)
            {
                Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.None, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
                Revocation = item.Revocation ?? RevocationCheckMode.Off,
            };
        }

        if (!TlsEndpointAddress.TryParse(item.Endpoint, out var address, out var error))
        {
            throw new FormatException(error);
        }

        // Endpoints default to the system roots; files and stores to no chain evaluation.
        return new TlsEndpointCertificateSource(address.Host, address.Port, string.IsNullOrWhiteSpace(item.ServerName) ? null : item.ServerName, name)
        {
            Owner = item.Owner, Tags = [.. item.Tags], Trust = trust ?? ChainTrust.System, Timeout = item.Timeout ?? TimeSpan.FromSeconds(30),
            Revocation = item.Revocation ?? RevocationCheckMode.Online,
        };
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
