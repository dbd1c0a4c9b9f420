using System.Collections.Immutable;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers;

/// <summary>CG1004: certificate revocation checking is turned off.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotDisableRevocationCheckAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The value the code fix writes instead: "RevocationMode" or "Boolean".</summary>
    internal const string ValueKindProperty = "ValueKind";

    private const int NoCheck = 0;

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.RevocationCheckDisabled,
        title: "Certificate revocation checking is disabled",
        messageFormat: "{0} turns revocation checking off, so a revoked (stolen or mis-issued) certificate is still accepted; use X509RevocationMode.Online",
        category: RuleCategories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Without a revocation check, revoking a compromised certificate protects nobody who talks to this code. Use Online (or Offline with a cached CRL) and handle RevocationStatusUnknown deliberately.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.RevocationCheckDisabled));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509RevocationMode") is not { } revocationMode
                || !SourceKeywords.AnyTreeContains(start.Compilation, "Revocation"))
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeAssignment(c, revocationMode), OperationKind.SimpleAssignment);
            start.RegisterOperationAction(
                c =>
                {
                    if (InsecureSwitches.RuleOf(c.Operation, c.Compilation) == Rule.Id)
                    {
                        var assignment = (ISimpleAssignmentOperation)c.Operation;
                        c.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Syntax.GetLocation(), ((IPropertyReferenceOperation)assignment.Target).Property.Name + " = true"));
                    }
                },
                OperationKind.SimpleAssignment);
            start.RegisterOperationAction(c => AnalyzeArgument(c, revocationMode), OperationKind.Argument);
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, INamedTypeSymbol revocationMode)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property })
        {
            return;
        }

        if (SymbolEqualityComparer.Default.Equals(property.Type, revocationMode))
        {
            ReportIfNoCheck(context, assignment.Value, property.ContainingType.Name + "." + property.Name);
        }
        else if (property.Type.SpecialType == SpecialType.System_Boolean
                 && property.Name is "CheckCertificateRevocationList" or "CheckCertificateRevocation")
        {
            ReportIfFalse(context, assignment.Value, property.ContainingType.Name + "." + property.Name + " = false");
        }
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, INamedTypeSymbol revocationMode)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
        {
            return;
        }

        if (SymbolEqualityComparer.Default.Equals(parameter.Type, revocationMode))
        {
            ReportIfNoCheck(context, argument.Value, "Passing X509RevocationMode.NoCheck");
        }
        else if (parameter.Type.SpecialType == SpecialType.System_Boolean
                 && parameter.Name == "checkCertificateRevocation"
                 && parameter.ContainingSymbol.ContainingNamespace?.ToDisplayString() is { } ns
                 && ns.StartsWith("System.Net", System.StringComparison.Ordinal))
        {
            ReportIfFalse(context, argument.Value, "checkCertificateRevocation: false");
        }
    }

    private static void ReportIfNoCheck(OperationAnalysisContext context, IOperation value, string what)
    {
        // The mode may arrive through a local or a field: any way it can be NoCheck counts.
        var noCheck = false;
        foreach (var origin in ValueOrigins.Find(value, context.Compilation))
        {
            noCheck |= origin.ConstantValue is { HasValue: true, Value: int mode } && mode == NoCheck;
        }

        if (noCheck && !CustomTrust.IsCheckedAfterwards(value, context.Compilation))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty.Add(ValueKindProperty, "RevocationMode"), what));
        }
    }

    private static void ReportIfFalse(OperationAnalysisContext context, IOperation value, string what)
    {
        if (HardCodedString.Unwrap(value)?.ConstantValue is { HasValue: true, Value: false })
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty.Add(ValueKindProperty, "Boolean"), what));
        }
    }
}
