using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Metrics;

/// <summary>
/// The <c>CertGuard</c> meter: observable instruments that read the monitor's snapshot, named and labelled like
/// x509-certificate-exporter so its dashboards and alert rules work unchanged. One series per certificate, not per
/// poll. No units on purpose: the Prometheus exporter would append them to the names.
/// </summary>
internal sealed class CertificateMetrics : IDisposable
{
    private const string LabelsView = "metric-labels";
    private const string FindingsView = "metric-findings";
    private static readonly string[] NameFields = ["C", "ST", "L", "O", "OU", "CN"];
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Func<CertificateSnapshot> _snapshot;
    private readonly TimeProvider _timeProvider;
    private readonly Counter<long> _sourceErrors;

    public CertificateMetrics(IMeterFactory? meterFactory, Func<CertificateSnapshot> snapshot, TimeProvider timeProvider)
    {
        _snapshot = snapshot;
        _timeProvider = timeProvider;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(CertificateMonitor.MeterName) ?? new Meter(CertificateMonitor.MeterName);
        _meter.CreateObservableGauge("x509_cert_not_after", () => Observe(static (r, _) => r.Facts.NotAfter.ToUnixTimeSeconds()),
            unit: null, description: "The certificate's notAfter, in seconds since the Unix epoch.");
        _meter.CreateObservableGauge("x509_cert_not_before", () => Observe(static (r, _) => r.Facts.NotBefore.ToUnixTimeSeconds()),
            unit: null, description: "The certificate's notBefore, in seconds since the Unix epoch.");
        _meter.CreateObservableGauge("x509_cert_expired", () => Observe(static (r, now) => now >= r.Facts.NotAfter ? 1L : 0L),
            unit: null, description: "1 if the certificate has expired, 0 otherwise.");
        _meter.CreateObservableGauge("x509_source_up", ObserveSources,
            unit: null, description: "1 when the source's latest refresh succeeded, 0 when it failed; absent before the first refresh.");
        _meter.CreateObservableGauge("x509_read_errors", () => (long)_snapshot().Errors.Count,
            unit: null, description: "The number of certificates or sources that could not be read in the latest refresh.");
        _meter.CreateObservableGauge("certguard_certificate_findings", ObserveFindings,
            unit: null, description: "The number of findings in the latest refresh, by source, finding id and severity.");
        _sourceErrors = _meter.CreateCounter<long>("x509_source_errors",
            unit: null, description: "Load errors, by source and reason, counted on every refresh.");
    }

    /// <summary>Counts the errors of one refresh.</summary>
    public void RecordErrors(CertificateSource source, IReadOnlyList<LoadError> errors)
    {
        foreach (var error in errors)
        {
            _sourceErrors.Add(1,
                new KeyValuePair<string, object?>("source_kind", source.Kind),
                new KeyValuePair<string, object?>("source_name", source.Name),
                new KeyValuePair<string, object?>("reason", error.Reason.ToString()));
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<CertificateReport, DateTimeOffset, long> value)
    {
        var snapshot = _snapshot();
        var labelled = snapshot.GetView(LabelsView, string.Empty, static (s, _) => Label(s));
        var now = _timeProvider.GetUtcNow();
        var measurements = new Measurement<long>[labelled.Count];
        for (var i = 0; i < labelled.Count; i++)
        {
            measurements[i] = new Measurement<long>(value(labelled[i].Report, now), labelled[i].Labels);
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObserveSources()
    {
        var snapshot = _snapshot();
        var measurements = new List<Measurement<long>>(snapshot.Sources.Count);
        foreach (var state in snapshot.Sources.Where(s => s.IsChecked))
        {
            var up = !state.IsStale && (state.Reports.Count > 0 || state.Errors.Count == 0);
            measurements.Add(new Measurement<long>(up ? 1 : 0,
                new KeyValuePair<string, object?>("source_kind", state.Source.Kind),
                new KeyValuePair<string, object?>("source_name", state.Source.Name)));
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObserveFindings()
    {
        var snapshot = _snapshot();
        var counts = snapshot.GetView(FindingsView, string.Empty, static (s, _) => CountFindings(s));
        var measurements = new Measurement<long>[counts.Count];
        for (var i = 0; i < counts.Count; i++)
        {
            var (key, count) = counts[i];
            measurements[i] = new Measurement<long>(count,
                new KeyValuePair<string, object?>("source_kind", key.Kind),
                new KeyValuePair<string, object?>("source_name", key.Name),
                new KeyValuePair<string, object?>("id", key.Id),
                new KeyValuePair<string, object?>("severity", key.Severity));
        }

        return measurements;
    }

    /// <summary>Findings counted per source, id and severity once per snapshot: bounded by sources times finding ids, not certificates.</summary>
    private static List<((string Kind, string Name, string Id, string Severity) Key, long Count)> CountFindings(CertificateSnapshot snapshot)
    {
        var counts = new Dictionary<(string Kind, string Name, string Id, string Severity), long>();
        foreach (var state in snapshot.Sources)
        {
            foreach (var finding in state.Reports.SelectMany(report => report.Findings))
            {
                var key = (state.Source.Kind, state.Source.Name, finding.Id, finding.Severity.ToString());
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return [.. counts.Select(pair => (pair.Key, pair.Value))];
    }

    /// <summary>The labels of every certificate, computed once per snapshot.</summary>
    private static List<(CertificateReport Report, KeyValuePair<string, object?>[] Labels)> Label(CertificateSnapshot snapshot)
    {
        var labelled = new List<(CertificateReport, KeyValuePair<string, object?>[])>();
        foreach (var state in snapshot.Sources)
        {
            foreach (var report in state.Reports)
            {
                labelled.Add((report, LabelsOf(state.Source, report)));
            }
        }

        return labelled;
    }

    private static KeyValuePair<string, object?>[] LabelsOf(CertificateSource source, CertificateReport report)
    {
        var facts = report.Facts;
        var isFile = source.Kind is "file" or "directory";
        var labels = new List<KeyValuePair<string, object?>>(22)
        {
            new("serial_number", Decimal(facts.SerialNumber)),
        };
        AddNameFields(labels, "subject", facts.Subject, facts.SubjectCommonName);
        AddNameFields(labels, "issuer", facts.Issuer, facts.IssuerCommonName);
        labels.Add(new("filename", isFile ? Path.GetFileName(facts.Location) : string.Empty));
        labels.Add(new("filepath", isFile ? facts.Location : string.Empty));
        // A TLS endpoint is identified the way blackbox_exporter's instance is: host and port (empty for files and stores).
        var connection = facts.Connection;
        labels.Add(new("host", connection?.Host ?? string.Empty));
        labels.Add(new("port", connection is null ? string.Empty : connection.Port.ToString(CultureInfo.InvariantCulture)));
        labels.Add(new("source_kind", source.Kind));
        labels.Add(new("source_name", source.Name));
        labels.Add(new("owner", report.Owner ?? string.Empty));
        return [.. labels];
    }

    private static void AddNameFields(List<KeyValuePair<string, object?>> labels, string prefix, string distinguishedName, string? commonName)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var rdn in new X500DistinguishedName(distinguishedName).EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().FriendlyName is { } type && rdn.GetSingleElementValue() is { } value)
                {
                    fields.TryAdd(ShortName(type), value);
                }
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // An unusual name that does not round-trip: keep the common name the inspector read.
        }

        foreach (var field in NameFields)
        {
            var value = fields.GetValueOrDefault(field) ?? (field == "CN" ? commonName : null);
            labels.Add(new($"{prefix}_{field}", value ?? string.Empty));
        }
    }

    private static string ShortName(string friendlyName) => friendlyName switch
    {
        "S" => "ST",
        _ => friendlyName,
    };

    /// <summary>The exporter writes serial numbers in decimal.</summary>
    private static string Decimal(string hexSerial) =>
        BigInteger.TryParse("0" + hexSerial, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value.ToString(CultureInfo.InvariantCulture)
            : hexSerial;
}
