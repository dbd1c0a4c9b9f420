using System.Security.Cryptography.X509Certificates;
using CertGuard.DependencyInjection;
using CertGuard.HealthChecks;
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
    /// <c>RefreshInterval</c> of the same section. The section is validated at start.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configuration">The <c>CertGuard</c> section.</param>
    /// <param name="name">The health check's name. Default <c>certguard</c>.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with (for example <c>ready</c>).</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertGuard(this IHealthChecksBuilder builder, IConfiguration configuration, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var sectionPath = (configuration as IConfigurationSection)?.Path is { Length: > 0 } path ? path : "CertGuard";
        var services = builder.Services;
        AddMonitor(services, sectionPath);
        services.AddOptions<CertificatePolicyOptions>().Bind(configuration);
        services.AddOptions<CertGuardOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertGuardOptions>>(new CertGuardOptionsValidator(sectionPath));
        services.AddOptions<CertificateMonitorOptions>().Configure<IOptions<CertGuardOptions>>((monitor, configured) =>
        {
            var settings = configured.Value;
            if (settings.RefreshInterval is { } interval)
            {
                monitor.RefreshInterval = interval;
            }

            foreach (var item in settings.Certificates)
            {
                monitor.Sources.Add(new MonitoredSource(ConfiguredSources.Create(item), name));
            }
        });
        return AddCheck(builder, name, failureStatus, tags, timeout);
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
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateFile(this IHealthChecksBuilder builder, string path, CertificateLoadOptions? loadOptions = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCertificateSource(new FileCertificateSource(path, loadOptions, name) { Owner = owner, Tags = tags?.ToList() ?? [], WriteSettleTime = ConfiguredSources.MonitoredWriteSettleTime }, failureStatus, tags, timeout);

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
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateDirectory(this IHealthChecksBuilder builder, string directory, IEnumerable<string>? include = null, IEnumerable<string>? exclude = null, CertificateLoadOptions? loadOptions = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCertificateSource(new DirectoryCertificateSource(directory, include, exclude, loadOptions, name) { Owner = owner, Tags = tags?.ToList() ?? [], WriteSettleTime = ConfiguredSources.MonitoredWriteSettleTime }, failureStatus, tags, timeout);

    /// <summary>
    /// Watches the certificate a TLS endpoint presents, judged against the system roots. The endpoint is contacted by
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
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateEndpoint(this IHealthChecksBuilder builder, string host, int port, string? serverName = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCertificateSource(new TlsEndpointCertificateSource(host, port, serverName, name) { Owner = owner, Tags = tags?.ToList() ?? [] }, failureStatus, tags, timeout);

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
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCertificateStore(this IHealthChecksBuilder builder, string storeName, StoreLocation storeLocation = StoreLocation.CurrentUser, string? thumbprint = null, string? subject = null, string? owner = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddCertificateSource(new StoreCertificateSource(storeName, storeLocation, thumbprint, subject, name) { Owner = owner, Tags = tags?.ToList() ?? [] }, failureStatus, tags, timeout);

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
        services.AddSingleton<CertificateMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<CertificateMonitor>());
        services.AddOptions<CertificatePolicyOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertificatePolicyOptions>>(new CertificatePolicyOptionsValidator(sectionPath));
        services.AddOptions<CertificateMonitorOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CertificateMonitorOptions>, CertificateMonitorOptionsValidator>());
    }
}
