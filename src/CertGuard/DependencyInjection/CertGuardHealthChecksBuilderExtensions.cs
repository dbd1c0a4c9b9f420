using System.Security.Cryptography.X509Certificates;
using CertGuard.DependencyInjection;
using CertGuard.HealthChecks;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers certificate health checks. Each registration adds its certificates to the background
/// <see cref="CertificateMonitor"/>; the health check itself only reads the monitor's snapshot.
/// </summary>
public static class CertGuardHealthChecksBuilderExtensions
{
    /// <summary>The registration name <see cref="AddCertGuard"/> uses by default.</summary>
    public const string DefaultName = "certguard";

    /// <summary>
    /// Watches every certificate listed in configuration (<c>Certificates</c>), with the policy thresholds and
    /// <c>RefreshInterval</c> of the same section. The section is read strictly and validated at start: an unknown key,
    /// an unknown enum value or an unparsable number or time span stops the host, naming the setting by its path. When
    /// the section reloads (<c>reloadOnChange</c>), a valid edit takes effect at once; an invalid one is refused, logged
    /// and reported by the check, and the last valid certificates stay watched. Each call, with its own section and
    /// name, is its own check; the first one also sets the thresholds and interval of certificates added in code.
    /// <para>
    /// Everything the section can say can be said in code with <paramref name="configure"/>, validated the same way
    /// (messages then name the settings <c>CertGuardOptions('name'):Certificates:0:...</c>):
    /// <c>AddCertGuard(configuration: null, configure: options => options.Certificates.Add(...))</c>. With both, the
    /// section is read first and the code adjusts it.
    /// </para>
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configuration">The <c>CertGuard</c> section; null to set everything in <paramref name="configure"/>.</param>
    /// <param name="name">The health check's name. Default <c>certguard</c>.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with (for example <c>ready</c>).</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <param name="configure">Sets or adjusts the certificates, thresholds (<see cref="CertGuardOptions.Policy"/>) and interval.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertGuard(this IHealthChecksBuilder builder, IConfiguration? configuration, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null, Action<CertGuardOptions>? configure = null)
    {
        if (configuration is null && configure is null)
        {
            throw new ArgumentNullException(nameof(configuration), "Give a configuration section, a configure delegate, or both.");
        }

        return AddRegistration(builder, name, configuration, configure, failureStatus, tags, timeout);
    }

    private static IHealthChecksBuilder AddRegistration(IHealthChecksBuilder builder, string name, IConfiguration? configuration, Action<CertGuardOptions>? configure, HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var registration = new CertGuardRegistration(name, configuration, configure);
        AddMonitor(services, registration.SettingsPath);
        var isFirst = !services.Any(d => d.ServiceType == typeof(CertGuardRegistration));
        services.AddSingleton(registration);
        services.AddOptions<CertGuardOptions>(name).Configure(registration.Apply).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertGuardOptions>>(registration.Validator);
        if (isFirst)
        {
            // The first registration also sets the defaults of certificates added in code (AddCertificateFile, ...).
            // Read problems are not repeated here: the registration's own validation reports them.
            services.AddOptions<CertificatePolicyOptions>().Configure(policy =>
            {
                var read = registration.ReadQuietly().Policy;
                if (CertificatePolicyOptionsValidator.Problems(read).Count == 0)
                {
                    CopySettings(read, policy);
                }
            });
            services.AddOptions<CertificateMonitorOptions>().Configure(monitor =>
            {
                if (registration.ReadQuietly().RefreshInterval is { } interval && interval > TimeSpan.Zero && interval <= CertificateMonitorOptions.MaximumRefreshInterval)
                {
                    monitor.RefreshInterval = interval;
                }
            });
        }

        return AddCheck(builder, name, failureStatus, tags, timeout);
    }

    private static void CopySettings(CertificatePolicyOptions from, CertificatePolicyOptions to)
    {
        foreach (var property in typeof(CertificatePolicyOptions).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            property.SetValue(to, property.GetValue(from));
        }
    }

    /// <summary>Watches a certificate file (PEM, DER, PFX, P7B, JKS).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="path">The certificate file.</param>
    /// <param name="loadOptions">Passwords and a separate key file; none when null.</param>
    /// <param name="owner">Who owns the certificate.</param>
    /// <param name="name">The health check's and source's name; the path when null.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when the certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <param name="trust">The roots to evaluate the chain against; no chain evaluation when null.</param>
    /// <param name="revocation">Whether to check revocation; off when null.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateFile(this IHealthChecksBuilder builder, string path, CertificateLoadOptions? loadOptions = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null, ChainTrust? trust = null, RevocationCheckMode? revocation = null) =>
        builder.AddCertificateSource(new FileCertificateSource(path, loadOptions, name) { Owner = owner, Tags = tags?.ToList() ?? [], Trust = trust ?? ChainTrust.None, Revocation = revocation ?? RevocationCheckMode.Off, WriteSettleTime = ConfiguredSources.MonitoredWriteSettleTime }, failureStatus, tags, timeout);

    /// <summary>Watches every certificate file under a directory.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="directory">The directory.</param>
    /// <param name="include">Glob patterns of files to load; the usual certificate extensions when null.</param>
    /// <param name="exclude">Glob patterns of files to skip.</param>
    /// <param name="loadOptions">Passwords for every file; none when null.</param>
    /// <param name="owner">Who owns the certificates.</param>
    /// <param name="name">The health check's and source's name; the directory when null.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <param name="trust">The roots to evaluate chains against; no chain evaluation when null.</param>
    /// <param name="revocation">Whether to check revocation; off when null.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateDirectory(this IHealthChecksBuilder builder, string directory, IEnumerable<string>? include = null, IEnumerable<string>? exclude = null, CertificateLoadOptions? loadOptions = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null, ChainTrust? trust = null, RevocationCheckMode? revocation = null) =>
        builder.AddCertificateSource(new DirectoryCertificateSource(directory, include, exclude, loadOptions, name) { Owner = owner, Tags = tags?.ToList() ?? [], Trust = trust ?? ChainTrust.None, Revocation = revocation ?? RevocationCheckMode.Off, WriteSettleTime = ConfiguredSources.MonitoredWriteSettleTime }, failureStatus, tags, timeout);

    /// <summary>
    /// Watches the certificate a TLS endpoint presents, judged against the system roots unless
    /// <paramref name="trust"/> says otherwise (<c>ChainTrust.Custom(roots)</c> for a private CA). The endpoint is contacted by
    /// the background monitor (with bounded concurrency and a timeout), never by a health poll.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="host">A DNS name or an IP address.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="serverName">The name to send in SNI and to check the certificate against; the host when null.</param>
    /// <param name="owner">Who owns the certificate.</param>
    /// <param name="name">The health check's and source's name; <c>host:port</c> when null.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when the certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <param name="trust">The roots to evaluate the chain against; the system roots when null.</param>
    /// <param name="revocation">Whether to check revocation; online when null.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateEndpoint(this IHealthChecksBuilder builder, string host, int port, string? serverName = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null, ChainTrust? trust = null, RevocationCheckMode? revocation = null) =>
        builder.AddCertificateSource(new TlsEndpointCertificateSource(host, port, serverName, name) { Owner = owner, Tags = tags?.ToList() ?? [], Trust = trust ?? ChainTrust.System, Revocation = revocation ?? RevocationCheckMode.Online }, failureStatus, tags, timeout);

    /// <summary>Watches certificates in an operating-system store.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="storeName">The store's name (<c>My</c>, <c>Root</c>, ...).</param>
    /// <param name="storeLocation">The store's location.</param>
    /// <param name="thumbprint">The thumbprint of the certificate to find, or null for all.</param>
    /// <param name="subject">Text the subject must contain, or null.</param>
    /// <param name="owner">Who owns the certificates.</param>
    /// <param name="name">The health check's and source's name; <c>store:Location/Name</c> when null.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <param name="trust">The roots to evaluate chains against; no chain evaluation when null.</param>
    /// <param name="revocation">Whether to check revocation; off when null.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateStore(this IHealthChecksBuilder builder, string storeName, StoreLocation storeLocation = StoreLocation.CurrentUser, string? thumbprint = null, string? subject = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null, ChainTrust? trust = null, RevocationCheckMode? revocation = null) =>
        builder.AddCertificateSource(new StoreCertificateSource(storeName, storeLocation, thumbprint, subject, name) { Owner = owner, Tags = tags?.ToList() ?? [], Trust = trust ?? ChainTrust.None, Revocation = revocation ?? RevocationCheckMode.Off }, failureStatus, tags, timeout);

    /// <summary>Watches a certificate the application holds (a client or signing certificate).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="certificate">The certificate; not disposed by CertGuard.</param>
    /// <param name="name">The health check's and source's name.</param>
    /// <param name="owner">Who owns the certificate.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when the certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificate(this IHealthChecksBuilder builder, X509Certificate2 certificate, string name, string? owner = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCertificateSource(new InMemoryCertificateSource(certificate, name) { Owner = owner, Tags = tags?.ToList() ?? [] }, failureStatus, tags, timeout);

    /// <summary>Watches any source; the health check is named after the source.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="source">The source.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateSource(this IHealthChecksBuilder builder, CertificateSource source, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        AddMonitor(builder.Services, "CertGuard");
        builder.Services.Configure<CertificateMonitorOptions>(options => options.Sources.Add(new MonitoredSource(source, source.Name)));
        return AddCheck(builder, source.Name, failureStatus, tags, timeout);
    }

    /// <summary>
    /// Watches sources that are only known once the application's services exist (discovered from configuration or
    /// from other services), all under one health check.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name.</param>
    /// <param name="sources">Finds the sources, once, when the monitor is created.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateSources(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, IEnumerable<CertificateSource>> sources, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sources);
        AddMonitor(builder.Services, "CertGuard");
        builder.Services.AddOptions<CertificateMonitorOptions>().Configure<IServiceProvider>((options, services) =>
        {
            foreach (var source in sources(services))
            {
                options.Sources.Add(new MonitoredSource(source, name));
            }
        });
        return AddCheck(builder, name, failureStatus, tags, timeout);
    }

    private static IHealthChecksBuilder AddCheck(IHealthChecksBuilder builder, string name, HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout) =>
        builder.Add(new HealthCheckRegistration(
            name,
            services => new CertificateHealthCheck(services.GetRequiredService<CertificateMonitor>(), name),
            failureStatus,
            tags,
            timeout));

    private static void AddMonitor(IServiceCollection services, string sectionPath)
    {
        if (services.Any(d => d.ServiceType == typeof(CertificateMonitor)))
        {
            return;
        }

        services.TryAddSingleton(TimeProvider.System);

        // Endpoints check revocation by default; without a checker that default would silently mean "never".
        services.AddCertificateRevocationChecker();
        services.AddSingleton(provider =>
        {
            var monitor = ActivatorUtilities.CreateInstance<CertificateMonitor>(provider);
            monitor.UseRegistrations(provider.GetServices<CertGuardRegistration>(), provider.GetRequiredService<IOptionsMonitor<CertGuardOptions>>());
            return monitor;
        });
        services.AddHostedService(provider => provider.GetRequiredService<CertificateMonitor>());
        services.AddOptions<CertificatePolicyOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertificatePolicyOptions>>(new CertificatePolicyOptionsValidator(sectionPath));
        services.AddOptions<CertificateMonitorOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CertificateMonitorOptions>, CertificateMonitorOptionsValidator>());
    }
}
