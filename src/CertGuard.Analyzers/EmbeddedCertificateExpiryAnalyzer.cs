using System;
using System.Collections.Immutable;
using System.Globalization;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers;

/// <summary>
/// CG1007: an embedded certificate has expired or expires within <c>dotnet_diagnostic.CG1007.warning_days</c>
/// (default 90), judged against the clock of the machine that compiles.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmbeddedCertificateExpiryAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.EmbeddedCertificateExpiry,
        title: "Embedded certificate has expired or expires soon",
        messageFormat: "Embedded certificate {0}{1}",
        category: RuleCategories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A certificate in the source has expired, or will within the warning window; the software that carries it stops working on that date. Replace it, and move it out of the source (CG1006).",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.EmbeddedCertificateExpiry));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        EmbeddedCertificateOperations.Register(context, static (c, certificates) =>
        {
            var now = DateTime.UtcNow;
            var warningDays = RuleOptions.GetWarningDays(c.Options, c.Operation.Syntax.SyntaxTree);
            var first = EmbeddedCertificateOperations.FirstToExpire(certificates);
            if (first.NotAfter > now.AddDays(warningDays))
            {
                return;
            }

            var date = first.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var status = first.NotAfter <= now
                ? "expired on " + date + ", " + Days((int)(now - first.NotAfter).TotalDays) + " ago"
                : "expires on " + date + ", in " + Days((int)Math.Ceiling((first.NotAfter - now).TotalDays)) + " (warning window: " + Days(warningDays) + ")";
            c.ReportDiagnostic(Diagnostic.Create(Rule, c.Operation.Syntax.GetLocation(), EmbeddedCertificateOperations.DescribeSubject(first), status));
        });
    }

    private static string Days(int count) => count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " day" : " days");
}
