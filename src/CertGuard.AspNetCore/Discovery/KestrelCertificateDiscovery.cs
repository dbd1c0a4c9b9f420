using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using CertGuard.AspNetCore.Drift;
using CertGuard.AspNetCore.Reload;
using CertGuard.Loading;
using CertGuard.Sources;
using Microsoft.Extensions.Configuration;

namespace CertGuard.AspNetCore.Discovery;

/// <summary>
/// Finds every certificate Kestrel is configured to serve, with no configuration of its own: the
/// <c>Kestrel:Certificates:Default</c> certificate, each <c>Kestrel:Endpoints:{name}:Certificate</c> and
/// <c>Kestrel:Endpoints:{name}:Sni:{host}:Certificate</c> (a file with <c>Path</c>, <c>KeyPath</c>,
/// <c>Password</c>, or a store entry with <c>Subject</c>, <c>Store</c>, <c>Location</c>), and the files given to a
/// <see cref="ServerCertificateReloader"/>. Each becomes a <see cref="CertificateSource"/> named after where it is
/// served; the same file configured twice is watched once.
/// </summary>
public sealed class KestrelCertificateDiscovery
{
    private readonly IConfiguration _configuration;
    private readonly ServerCertificateReloader? _reloader;

    /// <summary>Creates a discovery.</summary>
    /// <param name="configuration">The application's configuration (the one holding the <c>Kestrel</c> section).</param>
    /// <param name="reloader">The reloader whose files are served too, or null.</param>
    public KestrelCertificateDiscovery(IConfiguration configuration, ServerCertificateReloader? reloader = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        _reloader = reloader;
    }

    /// <summary>The configured certificates: one source per distinct file or store entry.</summary>
    /// <returns>The sources, in configuration order, the reloader's last.</returns>
    public IReadOnlyList<CertificateSource> DiscoverConfigured()
    {
        var sources = new List<CertificateSource>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, certificate) in ConfiguredCertificates())
        {
            if (CreateSource(name, certificate) is { } source && !ServedByReloader(source) && seen.Add(source.Kind + "|" + source.Location))
            {
                sources.Add(source);
            }
        }

        // What the reloader serves, not what is on disk: a refused replacement is a warning on the served certificate.
        foreach (var certificate in _reloader?.Certificates ?? [])
        {
            var files = certificate.Files;
            var name = "reloader:" + (files.ServerNames.Count == 0 ? "default" : string.Join(",", files.ServerNames));
            if (seen.Add("reloader|" + files.CertificatePath))
            {
                sources.Add(new ReloaderCertificateSource(certificate, name));
            }
        }

        return sources;
    }

    /// <summary>Whether a configured file is one the reloader serves: then its state on disk is not what is in use.</summary>
    private bool ServedByReloader(CertificateSource source) =>
        source is FileCertificateSource && _reloader?.Files.Any(f => string.Equals(Path.GetFullPath(f.CertificatePath), Path.GetFullPath(source.Location), StringComparison.Ordinal)) == true;

    /// <summary>
    /// What each HTTPS endpoint with a fixed port on a loopback or wildcard address actually serves, compared with its
    /// configured certificate (drift): one source per endpoint and per SNI name (wildcard names cannot be asked for).
    /// Endpoints on port 0 or bound to another host's address are left out.
    /// </summary>
    /// <param name="serverStarted">
    /// Signalled once the server listens (<c>IHostApplicationLifetime.ApplicationStarted</c>): the sources wait for it,
    /// up to two minutes, before their first handshake. <see cref="CancellationToken.None"/> does not wait.
    /// </param>
    /// <returns>The sources.</returns>
    public IReadOnlyList<ServedCertificateSource> DiscoverServed(CancellationToken serverStarted = default)
    {
        ServedCertificateSource Served(string host, int port, CertificateSource configured, string? serverName, string name) =>
            new(host, port, configured, serverName, name)
            {
                ServerStarted = serverStarted,
                Timeout = serverStarted.CanBeCanceled ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(15),
            };

        var sources = new List<ServedCertificateSource>();
        var defaultCertificate = CreateSource("kestrel:default", _configuration.GetSection("Kestrel:Certificates:Default"));
        foreach (var endpoint in _configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (!TryLoopback(endpoint["Url"], out var host, out var port))
            {
                continue;
            }

            var configured = CreateSource($"kestrel:endpoint:{endpoint.Key}", endpoint.GetSection("Certificate")) ?? defaultCertificate;
            if (configured is not null)
            {
                sources.Add(Served(host, port, configured, null, $"served:endpoint:{endpoint.Key}"));
            }

            foreach (var sni in endpoint.GetSection("Sni").GetChildren().Where(s => !s.Key.Contains('*', StringComparison.Ordinal)))
            {
                var sniCertificate = CreateSource($"kestrel:endpoint:{endpoint.Key}:sni:{sni.Key}", sni.GetSection("Certificate")) ?? configured;
                if (sniCertificate is not null)
                {
                    sources.Add(Served(host, port, sniCertificate, sni.Key, $"served:endpoint:{endpoint.Key}:sni:{sni.Key}"));
                }
            }
        }

        // ASPNETCORE_URLS / --urls: served with the default certificate (Kestrel's, or the reloader's default).
        var reloaderDefault = _reloader?.Files.FirstOrDefault(f => f.ServerNames.Count == 0) is { } files
            ? new FileCertificateSource(files.CertificatePath, LoadOptions(files.KeyPath, files.Password), "reloader:default")
            : null;
        var urlsCertificate = defaultCertificate ?? reloaderDefault;
        if (urlsCertificate is not null)
        {
            foreach (var url in (_configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (TryLoopback(url, out var host, out var port) && !sources.Any(s => s.Location == $"{host}:{port}" || s.Location.StartsWith($"{host}:{port} ", StringComparison.Ordinal)))
                {
                    sources.Add(Served(host, port, urlsCertificate, null, $"served:{url}"));
                }
            }
        }

        return sources;
    }

    private IEnumerable<(string Name, IConfigurationSection Certificate)> ConfiguredCertificates()
    {
        yield return ("kestrel:default", _configuration.GetSection("Kestrel:Certificates:Default"));
        foreach (var endpoint in _configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            yield return ($"kestrel:endpoint:{endpoint.Key}", endpoint.GetSection("Certificate"));
            foreach (var sni in endpoint.GetSection("Sni").GetChildren())
            {
                yield return ($"kestrel:endpoint:{endpoint.Key}:sni:{sni.Key}", sni.GetSection("Certificate"));
            }
        }
    }

    private static CertificateSource? CreateSource(string name, IConfigurationSection certificate) => KestrelCertificateConfiguration.CreateSource(name, certificate);

    private static CertificateLoadOptions LoadOptions(string? keyPath, string? password) => KestrelCertificateConfiguration.LoadOptions(keyPath, password);

    /// <summary>Where to reach an HTTPS URL of this app from the app itself: loopback, for loopback and wildcard hosts.</summary>
    private static bool TryLoopback(string? url, out string host, out int port)
    {
        host = "127.0.0.1";
        port = 0;
        if (url is null || !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Kestrel accepts * and + as hosts, which Uri does not.
        var authority = url["https://".Length..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        var name = authority[..colon].Trim('[', ']');
        if (name is "*" or "+" or "0.0.0.0" or "::" || name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address))
        {
            host = address.ToString();
            return true;
        }

        return false;
    }
}
