using System.Text.Json;
using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// The JSON report, a public contract: property names and order are fixed, see docs/cli.md.
/// Certificates in target order, each bundle entry its own object.
/// </summary>
internal sealed class JsonReportWriter : IReportWriter
{
    public bool IncludesErrors => true;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        using var sink = new JsonTextSink(output);
        var json = sink.Json;
        json.WriteStartObject();
        json.WriteStartArray("certificates");
        foreach (var entry in inventory.Certificates)
        {
            WriteCertificate(json, entry);
            sink.DrainIfLarge();
        }

        json.WriteEndArray();
        json.WriteStartArray("errors");
        foreach (var error in inventory.Errors)
        {
            json.WriteStartObject();
            json.WriteString("source", error.Source);
            json.WriteString("reason", error.Reason.ToString());
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        sink.Complete();
    }

    private static void WriteCertificate(Utf8JsonWriter json, InventoryEntry entry)
    {
        var facts = entry.Report.Facts;
        json.WriteStartObject();
        json.WriteString("source", entry.Source);
        json.WriteString("subject", facts.Subject);
        json.WriteString("issuer", facts.Issuer);
        json.WriteString("serialNumber", facts.SerialNumber);
        json.WriteString("thumbprintSha256", facts.ThumbprintSha256);
        json.WriteString("notBefore", ReportValues.Iso(facts.NotBefore));
        json.WriteString("notAfter", ReportValues.Iso(facts.NotAfter));
        json.WriteNumber("daysRemaining", entry.Report.DaysRemaining);
        json.WriteString("keyAlgorithm", facts.KeyAlgorithm);
        WriteNullable(json, "keySize", facts.KeySize);
        json.WriteString("signatureAlgorithm", facts.SignatureAlgorithm);
        json.WriteString("signatureHashAlgorithm", facts.SignatureHashAlgorithm);
        json.WriteStartArray("subjectAlternativeNames");
        foreach (var name in facts.SubjectAlternativeNames)
        {
            json.WriteStringValue(name.ToString());
        }

        json.WriteEndArray();
        json.WriteBoolean("isCertificateAuthority", facts.IsCertificateAuthority);
        json.WriteBoolean("isSelfSigned", facts.IsSelfSigned);
        json.WriteBoolean("hasPrivateKey", facts.HasPrivateKey);
        json.WriteString("owner", entry.Owner);
        json.WriteString("status", entry.Status.ToString());
        json.WriteStartArray("findings");
        foreach (var finding in entry.Report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("id", finding.Id);
            json.WriteString("severity", finding.Severity.ToString());
            json.WriteString("message", finding.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
