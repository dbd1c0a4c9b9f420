using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using CertGuard.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace CertGuard.Tests.Metrics;

public sealed class CertificateMetricsTests
{
    [Fact]
    public async Task Certificate_gauges_carry_the_exporters_name_fields_and_a_decimal_serial_number()
    {
        var clock = MonitorFactory.Clock();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=api.example, OU=Edge, O=Example Corp, L=Berlin, S=Berlin, C=DE", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(clock.GetUtcNow().AddDays(-10), clock.GetUtcNow().AddDays(50));
        var source = new CountingSource("api", X509CertificateLoader.LoadCertificate(certificate.RawData)) { Owner = "team-api" };
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var monitor = Create(clock, source, meterFactory);
        using var notAfter = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_cert_not_after");
        using var expired = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_cert_expired");

        await monitor.RefreshAsync();
        notAfter.RecordObservableInstruments();
        expired.RecordObservableInstruments();

        var measurement = Assert.Single(notAfter.GetMeasurementSnapshot());
        Assert.Equal(certificate.NotAfter.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond - 62135596800, measurement.Value);
        Assert.Equal("api.example", measurement.Tags["subject_CN"]);
        Assert.Equal("Edge", measurement.Tags["subject_OU"]);
        Assert.Equal("Example Corp", measurement.Tags["subject_O"]);
        Assert.Equal("Berlin", measurement.Tags["subject_L"]);
        Assert.Equal("Berlin", measurement.Tags["subject_ST"]);
        Assert.Equal("DE", measurement.Tags["subject_C"]);
        Assert.Equal("Example Corp", measurement.Tags["issuer_O"]);
        Assert.Equal(BigInteger.Parse("0" + certificate.SerialNumber, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), measurement.Tags["serial_number"]);
        Assert.Equal("team-api", measurement.Tags["owner"]);
        Assert.Equal(string.Empty, measurement.Tags["filepath"]);
        Assert.Equal(0, Assert.Single(expired.GetMeasurementSnapshot()).Value);

        // Expiry is judged at observation time, not at the last refresh.
        clock.Advance(TimeSpan.FromDays(51));
        expired.RecordObservableInstruments();
        Assert.Equal(1, expired.LastMeasurement!.Value);
    }

    [Fact]
    public async Task A_failing_source_is_down_and_its_errors_are_counted_by_reason()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("api.example", clock.GetUtcNow(), 60);
        var source = new CountingSource("api", certificate);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var monitor = Create(clock, source, meterFactory);
        using var up = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_source_up");
        using var errors = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_source_errors");
        using var readErrors = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_read_errors");

        up.RecordObservableInstruments();
        Assert.Empty(up.GetMeasurementSnapshot()); // absent before the first refresh, as in the exporter

        await monitor.RefreshAsync();
        up.RecordObservableInstruments();
        Assert.Equal(1, up.LastMeasurement!.Value);

        source.Error = new LoadError("test:api", LoadErrorReason.WrongPassword, "the password does not open the file");
        await monitor.RefreshAsync();
        await monitor.RefreshAsync();
        up.RecordObservableInstruments();
        readErrors.RecordObservableInstruments();

        Assert.Equal(0, up.LastMeasurement!.Value);
        Assert.Equal("api", up.LastMeasurement.Tags["source_name"]);
        Assert.Equal(1, readErrors.LastMeasurement!.Value);
        Assert.Equal(2, errors.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(errors.GetMeasurementSnapshot(), m => Assert.Equal("WrongPassword", m.Tags["reason"]));
    }

    [Fact]
    public async Task A_tls_endpoints_certificate_is_labelled_with_host_and_port_and_a_file_is_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var served = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(60));
        var builder = WebApplication.CreateSlimBuilder();
        var context = SslStreamCertificateContext.Create(served, additionalCertificates: null, offline: true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
        })));
        await using var app = builder.Build();
        await app.StartAsync();
        var port = new Uri(app.Urls.Single()).Port;
        var endpoint = new TlsEndpointCertificateSource("127.0.0.1", port, "localhost", name: "api")
        {
            Trust = CertGuard.Inspection.ChainTrust.None,
            Revocation = CertGuard.Inspection.RevocationCheckMode.Off,
        };
        using var other = MintedCertificates.WithDaysLeft("memory.example", DateTimeOffset.UtcNow, 60);
        var memory = new CountingSource("memory", other);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var options = new CertificateMonitorOptions();
        options.Sources.Add(new MonitoredSource(endpoint, endpoint.Name));
        options.Sources.Add(new MonitoredSource(memory, memory.Name));
        using var monitor = new CertificateMonitor(Options.Create(options), Options.Create(new CertificatePolicyOptions()), TimeProvider.System, meterFactory: meterFactory);
        using var notAfter = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "x509_cert_not_after");

        await monitor.RefreshAsync();
        notAfter.RecordObservableInstruments();

        var measurements = notAfter.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        var fromEndpoint = Assert.Single(measurements, m => (string?)m.Tags["source_kind"] == "endpoint");
        Assert.Equal("127.0.0.1", fromEndpoint.Tags["host"]);
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), fromEndpoint.Tags["port"]);
        Assert.Equal("api", fromEndpoint.Tags["source_name"]);
        var fromMemory = Assert.Single(measurements, m => (string?)m.Tags["source_kind"] == "memory");
        Assert.Equal(string.Empty, fromMemory.Tags["host"]);
        Assert.Equal(string.Empty, fromMemory.Tags["port"]);

        // The whole documented label set (docs/metrics.md), no more and no fewer.
        string[] documented =
        [
            "serial_number", "subject_C", "subject_ST", "subject_L", "subject_O", "subject_OU", "subject_CN",
            "issuer_C", "issuer_ST", "issuer_L", "issuer_O", "issuer_OU", "issuer_CN",
            "filename", "filepath", "host", "port", "source_kind", "source_name", "owner",
        ];
        Assert.Equal(documented.Order(StringComparer.Ordinal), fromEndpoint.Tags.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Findings_are_counted_per_source_id_and_severity_not_per_certificate()
    {
        var clock = MonitorFactory.Clock();
        using var expired = MintedCertificates.WithDaysLeft("old.example", clock.GetUtcNow(), -3);
        using var healthy = MintedCertificates.WithDaysLeft("new.example", clock.GetUtcNow(), 60);
        var source = new CountingSource("old", expired);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var monitor = Create(clock, source, meterFactory);
        using var findings = new MetricCollector<long>(meterFactory, CertificateMonitor.MeterName, "certguard_certificate_findings");

        findings.RecordObservableInstruments();
        Assert.Empty(findings.GetMeasurementSnapshot());

        await monitor.RefreshAsync();
        findings.RecordObservableInstruments();
        var expiredFinding = Assert.Single(findings.GetMeasurementSnapshot(), m => (string?)m.Tags["id"] == "expired");
        Assert.Equal(1, expiredFinding.Value);
        Assert.Equal("Critical", expiredFinding.Tags["severity"]);
        Assert.Equal("old", expiredFinding.Tags["source_name"]);
        Assert.Equal("memory", expiredFinding.Tags["source_kind"]);
        Assert.Equal(["id", "severity", "source_kind", "source_name"], expiredFinding.Tags.Keys.Order(StringComparer.Ordinal));

        // Renewed: the expired finding is gone from the next observation.
        source.Certificate = healthy;
        await monitor.RefreshAsync();
        findings.Clear();
        findings.RecordObservableInstruments();
        Assert.DoesNotContain(findings.GetMeasurementSnapshot(), m => (string?)m.Tags["id"] == "expired");
    }

    private static CertificateMonitor Create(TimeProvider clock, CountingSource source, System.Diagnostics.Metrics.IMeterFactory meterFactory)
    {
        var options = new CertificateMonitorOptions();
        options.Sources.Add(new MonitoredSource(source, source.Name));
        return new CertificateMonitor(Options.Create(options), Options.Create(new CertificatePolicyOptions()), clock, meterFactory: meterFactory);
    }
}
