using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Text;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CertGuard.Analyzers;

/// <summary>
/// CG1008: a certificate file the build ships (Content, None copied to output, EmbeddedResource) has expired or
/// expires within <c>dotnet_diagnostic.CG1008.warning_days</c> (default 365). The package's build props hand such
/// files to the compiler as AdditionalFiles with <c>CertGuardShipped</c> metadata.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ShippedCertificateExpiryAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The AdditionalFiles metadata the package's props set on shipped certificate files.</summary>
    internal const string ShippedMetadata = "build_metadata.AdditionalFiles.CertGuardShipped";

    private const int MaxFileBytes = 4 * 1024 * 1024;

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.ShippedCertificateExpiry,
        title: "Shipped certificate file has expired or expires soon",
        messageFormat: "{0}",
        category: RuleCategories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A certificate file that ships with the build expires inside every copy that was installed. Replace it before it expires, or load the certificate from a store or a mounted secret that can be rotated without a release.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ShippedCertificateExpiry));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterAdditionalFileAction(AnalyzeFile);
    }

    private static void AnalyzeFile(AdditionalFileAnalysisContext context)
    {
        var file = context.AdditionalFile;
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(file);
        if (!options.TryGetValue(ShippedMetadata, out var shipped)
            || !string.Equals(shipped.Trim(), "true", StringComparison.OrdinalIgnoreCase)
            || !CertificateLoadingMethods.HasCertificateExtension(file.Path))
        {
            return;
        }

        var name = Path.GetFileName(file.Path);
        var location = Location.Create(file.Path, default, default);
        if (ReadBytes(file.Path) is not { } bytes)
        {
            ReportUnreadable(context, location, name, "the file cannot be read or is larger than 4 MB");
            return;
        }

        var certificates = FindCertificates(bytes);
        if (certificates.Count == 0)
        {
            var extension = Path.GetExtension(file.Path).ToLowerInvariant();
            var reason = extension is ".pfx" or ".p12"
                ? "its certificates are encrypted with a password"
                : "it holds no certificate the build can read";
            ReportUnreadable(context, location, name, reason);
            return;
        }

        var now = DateTime.UtcNow;
        var warningDays = RuleOptions.GetShippedWarningDays(options, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
        var first = certificates[0];
        foreach (var certificate in certificates)
        {
            if (certificate.NotAfter < first.NotAfter)
            {
                first = certificate;
            }
        }

        if (first.NotAfter > now.AddDays(warningDays))
        {
            return;
        }

        var date = first.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var status = first.NotAfter <= now
            ? "expired on " + date + ", " + Days((int)(now - first.NotAfter).TotalDays) + " ago"
            : "expires on " + date + ", in " + Days((int)Math.Ceiling((first.NotAfter - now).TotalDays)) + " (warning window: " + Days(warningDays) + ")";
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, "Certificate " + EmbeddedCertificateOperations.DescribeSubject(first) + "in shipped file '" + name + "' " + status));
    }

    /// <summary>PEM (any number of blocks, also inside a bundle) or binary DER, PKCS#7 and unencrypted PKCS#12.</summary>
    private static List<DerCertificate> FindCertificates(byte[] bytes)
    {
        var found = new List<DerCertificate>();
        var text = Encoding.ASCII.GetString(bytes);
        if (text.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0)
        {
            found.AddRange(EmbeddedCertificateFinder.Find(text));
            return found;
        }

        found.AddRange(DerCertificate.FindAll(bytes));
        return found;
    }

    private static byte[]? ReadBytes(string path)
    {
        // AdditionalText offers only decoded text, which loses the bytes of binary DER, PKCS#7 and PKCS#12 files;
        // the path is one the build itself declared as shipped, so reading it is deterministic for that build.
#pragma warning disable RS1035 // Do not use APIs banned for analyzers
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxFileBytes ? File.ReadAllBytes(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
#pragma warning restore RS1035
    }

    /// <summary>
    /// Info, not a warning: a password-protected PKCS#12 encrypts its certificates, so the build cannot read their
    /// expiry; watch it at run time (the CertGuard health checks) instead.
    /// </summary>
    private static void ReportUnreadable(AdditionalFileAnalysisContext context, Location location, string name, string reason) =>
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, DiagnosticSeverity.Info, null, null, "Shipped file '" + name + "' could not be checked for expiry: " + reason));

    private static string Days(int count) => count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " day" : " days");
}
