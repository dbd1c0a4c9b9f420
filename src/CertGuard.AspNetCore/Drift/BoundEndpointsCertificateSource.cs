using System.Globalization;
using System.Net;
using CertGuard.AspNetCore.Discovery;
using CertGuard.AspNetCore.Reload;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace CertGuard.AspNetCore.Drift;

/// <summary>
/// What every HTTPS address Kestrel actually bound serves, learnt by TLS handshakes on loopback once the server has
/// started: the addresses come from the server (<see cref="IServerAddressesFeature"/>), not from configuration
/// guesses, so <c>Listen(...)</c> in code, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTPS_PORTS</c> and
/// <c>Kestrel:Endpoints</c> are all covered as Kestrel resolved them. Each address is asked without SNI and with each
/// SNI name configured for it; a refused handshake without SNI is expected when names are configured without a
/// default (<c>"*"</c>). What is served is compared with what should be: the reloader's current certificate, or the
/// <c>Kestrel</c> configuration's file or store entry; a certificate set in code is reported as observed, with a
/// note that nothing says what it should be.
/// </summary>
internal sealed class BoundEndpointsCertificateSource : CertificateSource
{
    /// <summary>An Info finding: the served certificate was set in code, so it cannot be compared with anything.</summary>
    public const string NotComparedId = "served-certificate-not-compared";

    /// <summary>The label a wildcard SNI name (<c>*.example.com</c>) is probed with.</summary>
    private const string WildcardProbeLabel = "certguard-probe";

    private readonly Func<IServer?> _server;
    private readonly IConfiguration _configuration;
    private readonly ServerCertificateReloader? _reloader;
    private readonly Action<TimeSpan>? _recheckAfter;

    public BoundEndpointsCertificateSource(Func<IServer?> server, IConfiguration configuration, ServerCertificateReloader? reloader, Action<TimeSpan>? recheckAfter, string name)
        : base(name)
    {
        _server = server;
        _configuration = configuration;
        _reloader = reloader;
        _recheckAfter = recheckAfter;
        Timeout = TimeSpan.FromMinutes(2);
    }

    /// <summary>Signalled once the server listens; until then a load waits.</summary>
    public CancellationToken ServerStarted { get; init; }

    /// <summary>The grace a server gets to pick up a changed configured file before a difference counts as drift.</summary>
    public TimeSpan ReloadGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock the grace is measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public override string Kind => "served";

    public override string Location => "kestrel:bound-addresses";

    public override bool IsRemote => true;

    /// <summary>Every configured certificate file: a renewed one is worth comparing at once.</summary>
    public override IReadOnlyList<string> WatchedPaths =>
        ConfiguredFiles().Concat(_reloader?.Files.SelectMany(f => f.Paths) ?? []).Distinct(StringComparer.Ordinal).ToList();

    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        if (ServerStarted.CanBeCanceled && !ServerStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ServerStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var addresses = _server()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return CertificateLoadResult.Failed(Location, LoadErrorReason.NotFound, "the server reports no bound addresses, so what it serves cannot be observed");
        }

        var endpoints = addresses.Select(BoundEndpoint.TryParse).OfType<BoundEndpoint>().Distinct().ToList();
        var results = new List<CertificateLoadResult>();
        foreach (var endpoint in endpoints)
        {
            results.Add(await ProbeAsync(endpoint, cancellationToken).ConfigureAwait(false));
        }

        return CertificateLoadResult.Combine(results);
    }

    private async Task<CertificateLoadResult> ProbeAsync(BoundEndpoint endpoint, CancellationToken cancellationToken)
    {
        var plan = Plan(endpoint);
        var results = new List<CertificateLoadResult>();
        foreach (var serverName in plan.ServerNames.Prepend(null))
        {
            var result = plan.ConfiguredFor(serverName) is { } configured
                ? await CompareWithConfiguredAsync(endpoint, serverName, configured, cancellationToken).ConfigureAwait(false)
                : await CompareWithReloaderAsync(endpoint, serverName, plan.Reloader, cancellationToken).ConfigureAwait(false);
            if (serverName is null && result.Certificates.Count == 0 && plan.ServerNames.Count > 0 && !plan.HasDefault)
            {
                // Names are configured without a default ("*"): Kestrel refuses a client that sends none, by design.
                result.Dispose();
                continue;
            }

            results.Add(result);
        }

        return CertificateLoadResult.Combine(results);
    }

    /// <summary>A handshake, compared with a configured file or store entry (with the grace a server gets to reload it).</summary>
    private async Task<CertificateLoadResult> CompareWithConfiguredAsync(BoundEndpoint endpoint, string? serverName, CertificateSource configured, CancellationToken cancellationToken)
    {
        var source = new ServedCertificateSource(endpoint.Host, endpoint.Port, configured, serverName)
        {
            ReloadGrace = ReloadGrace,
            TimeProvider = TimeProvider,
            RecheckAfter = _recheckAfter,
        };
        return Relabel(await source.LoadAsync(cancellationToken).ConfigureAwait(false), endpoint, serverName);
    }

    /// <summary>
    /// A handshake, compared with the reloader's certificate for the name when the reloader serves the endpoint, or
    /// reported as observed (set in code) otherwise.
    /// </summary>
    private async Task<CertificateLoadResult> CompareWithReloaderAsync(BoundEndpoint endpoint, string? serverName, ServerCertificateReloader? reloader, CancellationToken cancellationToken)
    {
        // Read before and after the handshake: a reload in between is not drift.
        var before = reloader?.SelectCertificate(serverName)?.Thumbprint;
        var served = await new TlsEndpointCertificateSource(endpoint.Host, endpoint.Port, serverName).LoadAsync(cancellationToken).ConfigureAwait(false);
        var after = reloader?.SelectCertificate(serverName);
        if (served.Certificates.Count == 0)
        {
            return Relabel(served, endpoint, serverName);
        }

        var compared = served.Certificates.Select(s =>
        {
            var matchesBefore = string.Equals(before, s.Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase);
            var expected = reloader is null ? null : matchesBefore ? CertificateInspector.Summarize(s.Certificate) : after is null ? null : CertificateInspector.Summarize(after);
            return new LoadedCertificate(s.Certificate, s.Location, s.Format)
            {
                Entry = s.Entry,
                PresentedChain = s.PresentedChain,
                Connection = serverName is null && s.Connection is { } connection ? connection with { HostNameMatches = true } : s.Connection,
                ConfiguredCertificate = expected,
                ReportedFindings = reloader is null
                    ? [new Finding(NotComparedId, FindingSeverity.Info, "Set in code (not from configuration or a CertGuard reloader): observed by handshake, but nothing says which certificate it should be, so drift cannot be checked.")]
                    : [],
            };
        }).ToList();
        return Relabel(new CertificateLoadResult(compared, served.Errors), endpoint, serverName);
    }

    private static CertificateLoadResult Relabel(CertificateLoadResult result, BoundEndpoint endpoint, string? serverName)
    {
        // One location per address and name, as a person would ask for it.
        var location = serverName is null ? endpoint.Address : $"{endpoint.Address} (SNI {serverName})";
        var certificates = result.Certificates.Select(c => new LoadedCertificate(c.Certificate, location, c.Format)
        {
            Entry = c.Entry,
            PrivateKeyProtection = c.PrivateKeyProtection,
            PresentedChain = c.PresentedChain,
            Connection = c.Connection,
            ConfiguredCertificate = c.ConfiguredCertificate,
            ReportedFindings = c.ReportedFindings,
        }).ToList();
        var errors = result.Errors.Select(e => e with { Location = location }).ToList();
        return new CertificateLoadResult(certificates, errors);
    }

    /// <summary>What to ask an address for, and what each answer should be.</summary>
    private EndpointPlan Plan(BoundEndpoint endpoint)
    {
        var reloaderHere = _reloader is { } reloader
            && (reloader.Endpoints.Any(e => e.IPEndPoint?.Port == endpoint.Port) || reloader.ServesHttpsDefaults)
            ? reloader
            : null;
        var defaultCertificate = ConfiguredSource("kestrel:default", _configuration.GetSection("Kestrel:Certificates:Default"));
        foreach (var configured in _configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (reloaderHere is not null || !PortOf(configured["Url"]).Equals(endpoint.Port))
            {
                continue;
            }

            var endpointCertificate = ConfiguredSource($"kestrel:endpoint:{configured.Key}", configured.GetSection("Certificate")) ?? defaultCertificate;
            var sni = configured.GetSection("Sni").GetChildren().ToList();
            var byName = new Dictionary<string, CertificateSource?>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in sni.Where(s => s.Key != "*"))
            {
                byName[ProbeName(entry.Key)] = ConfiguredSource($"kestrel:endpoint:{configured.Key}:sni:{entry.Key}", entry.GetSection("Certificate")) ?? endpointCertificate;
            }

            var star = sni.FirstOrDefault(s => s.Key == "*");
            var fallback = star is null ? endpointCertificate : ConfiguredSource($"kestrel:endpoint:{configured.Key}:sni:*", star.GetSection("Certificate")) ?? endpointCertificate;
            return new EndpointPlan(byName.Keys.ToList(), sni.Count == 0 || star is not null, name => name is null ? fallback : byName.GetValueOrDefault(name), null);
        }

        if (reloaderHere is not null)
        {
            var names = reloaderHere.Files.SelectMany(f => f.ServerNames).Select(ProbeName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return new EndpointPlan(names, reloaderHere.Files.Any(f => f.ServerNames.Count == 0), _ => null, reloaderHere);
        }

        // ASPNETCORE_URLS, ASPNETCORE_HTTPS_PORTS or Listen in code: Kestrel's default certificate, if one is configured.
        return new EndpointPlan([], true, _ => defaultCertificate, null);
    }

    private IEnumerable<string> ConfiguredFiles()
    {
        foreach (var section in _configuration.GetSection("Kestrel").AsEnumerable().Where(p => p.Value is { Length: > 0 }))
        {
            if (section.Key.EndsWith(":Certificate:Path", StringComparison.OrdinalIgnoreCase) || section.Key.EndsWith(":Certificate:KeyPath", StringComparison.OrdinalIgnoreCase)
                || section.Key.Equals("Kestrel:Certificates:Default:Path", StringComparison.OrdinalIgnoreCase) || section.Key.Equals("Kestrel:Certificates:Default:KeyPath", StringComparison.OrdinalIgnoreCase))
            {
                yield return section.Value!;
            }
        }
    }

    private static CertificateSource? ConfiguredSource(string name, IConfigurationSection certificate) => KestrelCertificateConfiguration.CreateSource(name, certificate);

    private static string ProbeName(string name) => name.StartsWith("*.", StringComparison.Ordinal) ? WildcardProbeLabel + name[1..] : name;

    private static int PortOf(string? url)
    {
        var authority = url is null ? string.Empty : url[(url.IndexOf("://", StringComparison.Ordinal) is var i and >= 0 ? i + 3 : 0)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : -1;
    }

    /// <summary>The names to ask for (besides none), whether a client asking for none is served, and what each should get.</summary>
    private sealed record EndpointPlan(IReadOnlyList<string> ServerNames, bool HasDefault, Func<string?, CertificateSource?> ConfiguredFor, ServerCertificateReloader? Reloader);

    /// <summary>An HTTPS address Kestrel bound, and where to reach it from the app itself.</summary>
    private sealed record BoundEndpoint(string Address, string Host, int Port)
    {
        public static BoundEndpoint? TryParse(string address)
        {
            if (!address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var authority = address["https://".Length..].Split('/')[0];
            var colon = authority.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return null;
            }

            // A wildcard or loopback bind is reached on loopback; an address of another host is asked directly.
            var name = authority[..colon].Trim('[', ']');
            var host = name switch
            {
                // [::] is dual-mode in Kestrel: IPv4 loopback reaches it even where IPv6 is off.
                "*" or "+" or "0.0.0.0" or "::" => "127.0.0.1",
                _ when name.Equals("localhost", StringComparison.OrdinalIgnoreCase) => "127.0.0.1",
                _ when IPAddress.TryParse(name, out var ip) => ip.ToString(),
                _ => "127.0.0.1",
            };
            return new BoundEndpoint(address, host, port);
        }
    }
}
