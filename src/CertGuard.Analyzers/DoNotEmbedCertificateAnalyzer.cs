using System.Collections.Immutable;
using System.Globalization;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers;

/// <summary>CG1006: a certificate (PEM or base64 DER) is written into a string in source code.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotEmbedCertificateAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.EmbeddedCertificate,
        title: "Certificate embedded in source code",
        messageFormat: "Certificate {0}is embedded in source code and expires on {1}; load it from a file, a certificate store or configuration so it can be renewed without a release",
        category: RuleCategories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A certificate compiled into software expires inside every copy that was shipped, and renewing it needs a new release everywhere. That is how a national mobile network went down for a day.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.EmbeddedCertificate));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        EmbeddedCertificateOperations.Register(context, static (c, certificates) =>
        {
            var first = EmbeddedCertificateOperations.FirstToExpire(certificates);
            c.ReportDiagnostic(Diagnostic.Create(
                Rule,
                c.Operation.Syntax.GetLocation(),
                EmbeddedCertificateOperations.DescribeSubject(first),
                first.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        });
    }
}
