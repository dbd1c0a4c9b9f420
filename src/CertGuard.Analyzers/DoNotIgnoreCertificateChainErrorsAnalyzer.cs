using System.Collections.Immutable;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers;

/// <summary>
/// CG1005: chain errors are ignored, either by X509VerificationFlags on a chain policy or by a validation
/// callback that accepts RemoteCertificateChainErrors or RemoteCertificateNameMismatch.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotIgnoreCertificateChainErrorsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when the finding is a VerificationFlags value the code fix can reset to NoFlag.</summary>
    internal const string VerificationFlagsProperty = "VerificationFlags";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.ChainErrorsIgnored,
        title: "Certificate chain errors are ignored",
        messageFormat: "{0}, so {1} is accepted; fix the trust configuration instead of ignoring the error",
        category: RuleCategories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Ignoring time validity, unknown authorities or name mismatches hides exactly the failures that precede an outage or an attack. Trust a private root with X509ChainTrustMode.CustomRootTrust, and let expiry fail loudly.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ChainErrorsIgnored));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var verificationFlags = start.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509VerificationFlags");
            if (verificationFlags is not null && SourceKeywords.AnyTreeContains(start.Compilation, "VerificationFlags"))
            {
                start.RegisterOperationAction(c => AnalyzeFlagsAssignment(c, verificationFlags), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment);
            }

            if (ValidationTypes.TryCreate(start.Compilation) is { } types && SourceKeywords.AnyTreeContains(start.Compilation, SourceKeywords.Validation))
            {
                // Lambdas are judged where they are installed; methods where they are declared, so each is reported once.
                ValidationCallbackSinks.Register(start, types, (c, installed, callback, _) =>
                    callback.Method is null && Report(c, CallbackEvaluator.Evaluate(callback, types, c.Compilation), installed.Syntax.GetLocation()));
                start.RegisterOperationAction(c => AnalyzeMethod(c, types), OperationKind.MethodBody, OperationKind.LocalFunction);
                start.RegisterOperationAction(
                    c =>
                    {
                        if (InsecureSwitches.RuleOf(c.Operation, c.Compilation) == Rule.Id)
                        {
                            var assignment = (ISimpleAssignmentOperation)c.Operation;
                            c.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Syntax.GetLocation(), ((IPropertyReferenceOperation)assignment.Target).Property.Name + " = true tells the client to ignore chain errors", "an untrusted, expired or wrongly named certificate"));
                        }
                    },
                    OperationKind.SimpleAssignment);
            }
        });
    }

    private static void AnalyzeFlagsAssignment(OperationAnalysisContext context, INamedTypeSymbol verificationFlags)
    {
        var assignment = (IAssignmentOperation)context.Operation;

        // `&= ~flag` and `^=` take flags away or toggle them; only `=` and `|=` add the given flags.
        if (assignment is ICompoundAssignmentOperation { OperatorKind: not BinaryOperatorKind.Or })
        {
            return;
        }

        if (assignment.Target is not IPropertyReferenceOperation target
            || !SymbolEqualityComparer.Default.Equals(target.Type, verificationFlags))
        {
            return;
        }

        // Every X509VerificationFlags value other than NoFlag tells the chain to overlook some error; the value may come through a local.
        var flags = 0;
        foreach (var origin in ValueOrigins.Find(assignment.Value, context.Compilation))
        {
            if (origin.ConstantValue is { HasValue: true, Value: int value })
            {
                flags |= value;
            }
        }

        if (flags == 0 || CustomTrust.IsCheckedAfterwards(assignment, context.Compilation))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(VerificationFlagsProperty, assignment is ISimpleAssignmentOperation ? "Replace" : "Remove");
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            assignment.Value.Syntax.GetLocation(),
            properties,
            "X509VerificationFlags tell the chain to ignore errors",
            VerificationFlagConsequences.Describe(flags)));
    }

    private static void AnalyzeMethod(OperationAnalysisContext context, ValidationTypes types)
    {
        var method = context.Operation switch
        {
            ILocalFunctionOperation local => local.Symbol,
            _ => context.ContainingSymbol as IMethodSymbol,
        };
        if (method is null
            || !types.IsCallbackMethod(method)
            || ValidationCallbackBody.FromMethod(method, context.Compilation) is not { } callback
            || method.Locations.Length == 0)
        {
            return;
        }

        Report(context, CallbackEvaluator.Evaluate(callback, types, context.Compilation), method.Locations[0]);
    }

    private static bool Report(OperationAnalysisContext context, CallbackVerdict verdict, Location location)
    {
        if ((verdict & (CallbackVerdict.AcceptsChainErrors | CallbackVerdict.AcceptsNameMismatch)) == 0)
        {
            return false;
        }

        var acceptsChain = (verdict & CallbackVerdict.AcceptsChainErrors) != 0;
        var acceptsName = (verdict & CallbackVerdict.AcceptsNameMismatch) != 0;
        var what = acceptsChain && acceptsName ? "an untrusted, expired or wrongly named certificate"
            : acceptsChain ? "an untrusted or expired certificate"
            : "a certificate issued for another name";

        // Accepting a name mismatch only in a chosen mode (verify-CA-only, as database drivers offer) is a design choice worth knowing, not a defect.
        var severity = !acceptsChain && (verdict & CallbackVerdict.Conditional) != 0 ? DiagnosticSeverity.Info : Rule.DefaultSeverity;
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, severity, null, null, "This validation callback accepts chain or name errors", what));
        return true;
    }
}
