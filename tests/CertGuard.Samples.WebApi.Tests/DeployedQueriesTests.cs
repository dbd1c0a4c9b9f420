using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.TlsErrors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>
/// The shipped alert rules (deploy/prometheus) and Grafana dashboard (deploy/grafana) name only metrics CertGuard
/// really exports: every instrument on the <c>CertGuard</c> meter is observed through a <see cref="MeterListener"/>,
/// translated to its Prometheus name, and the translation is checked against the sample's real <c>/metrics</c>.
/// </summary>
public sealed partial class DeployedQueriesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-deployed-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_metric_the_alert_rules_and_the_dashboard_name_is_exported()
    {
        var exported = await ExportedPrometheusNamesAsync();
        var repository = RepositoryRoot();
        var alerts = await File.ReadAllTextAsync(Path.Combine(repository, "deploy", "prometheus", "certguard-alerts.yml"));
        var dashboard = await File.ReadAllTextAsync(Path.Combine(repository, "deploy", "grafana", "certguard-dashboard.json"));
        var queries = DashboardQueries(dashboard);

        Assert.True(queries.Count >= 10, $"the dashboard has only {queries.Count} queries");
        foreach (var query in queries)
        {
            var named = MetricNames(query);
            Assert.True(named.Count > 0, "a dashboard query names no CertGuard metric: " + query);
            Assert.All(named, name => Assert.True(exported.Contains(name), $"the dashboard query '{query}' names {name}, which CertGuard does not export; it exports {string.Join(", ", exported.Order(StringComparer.Ordinal))}"));
        }

        var ruleNames = MetricNames(alerts);
        Assert.All(ruleNames, name => Assert.True(exported.Contains(name), $"the alert rules name {name}, which CertGuard does not export"));
        string[] alerted = ["x509_cert_not_after", "x509_cert_not_before", "x509_cert_expired", "x509_read_errors", "x509_source_up", "certguard_certificate_reloads_total", "certguard_certificate_findings", "certguard_tls_handshake_failures_total"];
        Assert.All(alerted, name => Assert.Contains(name, ruleNames));
    }

    [Theory]
    [InlineData("x509_cert_expired", "ObservableGauge", null, "x509_cert_expired")]
    [InlineData("x509_source_errors", "Counter", null, "x509_source_errors_total")]
    [InlineData("kestrel.tls_handshake.duration", "Histogram", "s", "kestrel_tls_handshake_duration_seconds")]
    [InlineData("http.server.active_requests", "UpDownCounter", "{request}", "http_server_active_requests")]
    [InlineData("process.memory", "ObservableCounter", "By", "process_memory_bytes_total")]
    public void Prometheus_names_follow_the_exporters_translation(string instrument, string kind, string? unit, string expected) =>
        Assert.Equal(expected, PrometheusName(instrument, kind, unit));

    /// <summary>The Prometheus names of every instrument CertGuard creates, each checked against a real scrape where it shows.</summary>
    private async Task<HashSet<string>> ExportedPrometheusNamesAsync()
    {
        // An expired certificate (findings) and an unreadable file (load errors), so every monitor instrument has a series.
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-1));
        var garbage = Path.Combine(_directory, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "CertGuard")
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();

        await using var factory = SampleHost.Create(expired).WithWebHostBuilder(builder =>
            builder.UseSetting("CertGuard:Certificates:1:Path", garbage));
        using var client = factory.CreateClient();
        var scrape = await SampleHost.GetUntilAsync(client, "/metrics", (_, body) =>
            body.Contains("x509_source_errors_total{", StringComparison.Ordinal) && body.Contains("certguard_certificate_findings{", StringComparison.Ordinal));

        // CertGuard.AspNetCore's instruments, created as an app creates them.
        var meterFactory = factory.Services.GetRequiredService<IMeterFactory>();
        using var reloader = new ServerCertificateReloader(meterFactory: meterFactory);
        using var failures = new TlsHandshakeFailureCounter(meterFactory: meterFactory);

        List<Instrument> published;
        lock (instruments)
        {
            published = [.. instruments];
        }

        var names = published.Select(i => PrometheusName(i.Name, KindOf(i), i.Unit)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("certguard_certificate_reloads_total", names);
        Assert.Contains("certguard_tls_handshake_failures_total", names);

        var scraped = ScrapedFamily().Matches(scrape).Select(m => m.Groups["name"].Value).Where(n => MetricNames(n).Count > 0).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("x509_source_errors_total", scraped);
        Assert.All(scraped, name => Assert.Contains(name, names));

        // Every monitor instrument (those created with the sample) showed up under exactly its translated name.
        var monitorNames = published.Where(i => i.Name.StartsWith("x509_", StringComparison.Ordinal) || i.Name == "certguard_certificate_findings")
            .Select(i => PrometheusName(i.Name, KindOf(i), i.Unit)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(7, monitorNames.Count);
        Assert.Subset(scraped, monitorNames);
        return names;
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType ? type.GetGenericTypeDefinition().Name.Split('`')[0] : type.Name;
    }

    /// <summary>
    /// OpenTelemetry's Prometheus exporter: dots become underscores, a unit becomes a suffix (annotations in braces
    /// dropped, UCUM "s" and "By" spelled out), and monotonic counters end in <c>_total</c>.
    /// </summary>
    private static string PrometheusName(string name, string kind, string? unit)
    {
        var prometheus = name.Replace('.', '_');
        var suffix = unit switch
        {
            null or "" or "1" => null,
            _ when unit.StartsWith('{') => null,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => unit,
        };
        if (suffix is not null && !prometheus.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            prometheus += "_" + suffix;
        }

        return kind is "Counter" or "ObservableCounter" ? prometheus + "_total" : prometheus;
    }

    private static List<string> DashboardQueries(string json)
    {
        using var document = JsonDocument.Parse(json);
        var queries = new List<string>();
        Collect(document.RootElement);
        return queries;

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name is "expr" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                        {
                            queries.Add(property.Value.GetString()!);
                        }
                        else
                        {
                            Collect(property.Value);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    private static HashSet<string> MetricNames(string text) =>
        MetricName().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CertGuard.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CertGuard.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(x509|certguard)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^# TYPE (?<name>\S+) \S+$", RegexOptions.Multiline)]
    private static partial Regex ScrapedFamily();
}
