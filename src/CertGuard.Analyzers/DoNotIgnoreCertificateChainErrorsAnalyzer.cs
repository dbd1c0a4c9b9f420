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

    private const int RemoteCertificateNameMismatch = 2;
    private const int RemoteCertificateChainErrors = 4;

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.ChainErrorsIgnored,
        title: "Certificate chain errors are ignored",
        messageFormat: "{0}, so an expired, untrusted or wrongly named certificate is accepted; fix the trust configuration instead of ignoring the error",
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
            if (verificationFlags is not null)
            {
                start.RegisterOperationAction(c => AnalyzeFlagsAssignment(c, verificationFlags), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment);
            }

            var sslPolicyErrors = start.Compilation.GetTypeByMetadataName("System.Net.Security.SslPolicyErrors");
            if (sslPolicyErrors is not null)
            {
                start.RegisterOperationAction(c => AnalyzeErrorsComparison(c, sslPolicyErrors), OperationKind.Binary);
                start.RegisterOperationAction(c => AnalyzeHasFlag(c, sslPolicyErrors), OperationKind.Invocation);
                start.RegisterOperationAction(c => AnalyzeErrorsPattern(c, sslPolicyErrors), OperationKind.IsPattern);
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

        // Every X509VerificationFlags value other than NoFlag tells the chain to overlook some error.
        if (HardCodedString.Unwrap(assignment.Value)?.ConstantValue is { HasValue: true, Value: int flags } && flags != 0)
        {
            var properties = assignment is ISimpleAssignmentOperation
                ? ImmutableDictionary<string, string?>.Empty.Add(VerificationFlagsProperty, "true")
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Value.Syntax.GetLocation(), properties, "X509VerificationFlags tell the chain to ignore errors"));
        }
    }

    private static void AnalyzeErrorsComparison(OperationAnalysisContext context, INamedTypeSymbol sslPolicyErrors)
    {
        var comparison = (IBinaryOperation)context.Operation;
        if (comparison.OperatorKind != BinaryOperatorKind.Equals)
        {
            return;
        }

        if (IsAcceptedErrorTest(comparison.LeftOperand, comparison.RightOperand, sslPolicyErrors)
            || IsAcceptedErrorTest(comparison.RightOperand, comparison.LeftOperand, sslPolicyErrors))
        {
            ReportIfAccepted(context, comparison);
        }
    }

    /// <summary><c>errors == RemoteCertificateChainErrors</c>, or <c>(errors &amp; ~RemoteCertificateChainErrors) == None</c>.</summary>
    private static bool IsAcceptedErrorTest(IOperation errorsSide, IOperation constantSide, INamedTypeSymbol sslPolicyErrors)
    {
        if (HardCodedString.Unwrap(constantSide)?.ConstantValue is not { HasValue: true, Value: int constant })
        {
            return false;
        }

        var errors = HardCodedString.Unwrap(errorsSide);
        if (errors is { ConstantValue.HasValue: false } && IsErrorsValue(errors, sslPolicyErrors))
        {
            return IsIgnoredError(constant);
        }

        return constant == 0
               && errors is IBinaryOperation { OperatorKind: BinaryOperatorKind.And } mask
               && (IsMaskWithoutIgnoredError(mask.LeftOperand, mask.RightOperand, sslPolicyErrors)
                   || IsMaskWithoutIgnoredError(mask.RightOperand, mask.LeftOperand, sslPolicyErrors));
    }

    private static bool IsMaskWithoutIgnoredError(IOperation errors, IOperation mask, INamedTypeSymbol sslPolicyErrors) =>
        IsErrorsValue(HardCodedString.Unwrap(errors), sslPolicyErrors)
        && HardCodedString.Unwrap(mask)?.ConstantValue is { HasValue: true, Value: int bits }
        && ((bits & RemoteCertificateChainErrors) == 0 || (bits & RemoteCertificateNameMismatch) == 0);

    private static bool IsErrorsValue(IOperation? operation, INamedTypeSymbol sslPolicyErrors) =>
        operation is IParameterReferenceOperation or ILocalReferenceOperation
        && SymbolEqualityComparer.Default.Equals(operation.Type, sslPolicyErrors);

    private static bool IsIgnoredError(int value) =>
        value != 0 && (value & (RemoteCertificateChainErrors | RemoteCertificateNameMismatch)) == value;

    private static void AnalyzeHasFlag(OperationAnalysisContext context, INamedTypeSymbol sslPolicyErrors)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name == "HasFlag"
            && invocation.Arguments.Length == 1
            && IsErrorsValue(HardCodedString.Unwrap(invocation.Instance), sslPolicyErrors)
            && HardCodedString.Unwrap(invocation.Arguments[0].Value)?.ConstantValue is { HasValue: true, Value: int flag }
            && IsIgnoredError(flag))
        {
            ReportIfAccepted(context, invocation);
        }
    }

    private static void AnalyzeErrorsPattern(OperationAnalysisContext context, INamedTypeSymbol sslPolicyErrors)
    {
        var isPattern = (IIsPatternOperation)context.Operation;
        if (IsErrorsValue(HardCodedString.Unwrap(isPattern.Value), sslPolicyErrors) && MatchesIgnoredError(isPattern.Pattern))
        {
            ReportIfAccepted(context, isPattern);
        }
    }

    private static bool MatchesIgnoredError(IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation constant => HardCodedString.Unwrap(constant.Value)?.ConstantValue is { HasValue: true, Value: int value } && IsIgnoredError(value),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => MatchesIgnoredError(or.LeftPattern) || MatchesIgnoredError(or.RightPattern),
        _ => false,
    };

    /// <summary>
    /// Reports a test for an ignorable error only when passing it leads straight to "accept": it is returned
    /// (alone or as one side of an ||), or it guards a <c>return true</c>. A test that leads to rejection or to
    /// further checks (a custom root, a pinned thumbprint) is fine.
    /// </summary>
    private static void ReportIfAccepted(OperationAnalysisContext context, IOperation test)
    {
        var current = test;
        var parent = current.Parent;
        while (parent is IParenthesizedOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or })
        {
            current = parent;
            parent = parent.Parent;
        }

        var accepted = parent switch
        {
            IReturnOperation => true,
            IConditionalOperation conditional when conditional.Condition == current => IsReturnTrue(conditional.WhenTrue),
            _ => false,
        };

        if (accepted && IsInValidationCallback(context, test))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, test.Syntax.GetLocation(), "This validation callback accepts chain or name errors"));
        }
    }

    /// <summary>
    /// The enclosing lambda or method receives a chain as well as the errors, as every TLS validation callback
    /// does; a helper that merely classifies an SslPolicyErrors value decides nothing.
    /// </summary>
    private static bool IsInValidationCallback(OperationAnalysisContext context, IOperation test)
    {
        IMethodSymbol? function = null;
        for (var current = test.Parent; current is not null && function is null; current = current.Parent)
        {
            function = current switch
            {
                IAnonymousFunctionOperation anonymous => anonymous.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
        }

        function ??= context.ContainingSymbol as IMethodSymbol;
        if (function is null)
        {
            return false;
        }

        foreach (var parameter in function.Parameters)
        {
            if (parameter.Type is { Name: "X509Chain", ContainingNamespace: { Name: "X509Certificates" } })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReturnTrue(IOperation operation)
    {
        while (operation is IBlockOperation { Operations.Length: 1 } block)
        {
            operation = block.Operations[0];
        }

        return operation is IReturnOperation returned && BooleanValue.IsAlwaysTrue(returned.ReturnedValue);
    }
}
