using System.Collections.Immutable;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers;

/// <summary>CG1003: a certificate validation callback accepts every certificate.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotDisableCertificateValidationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when the whole assignment can be removed to restore default validation.</summary>
    internal const string RemovableAssignmentProperty = "RemovableAssignment";

    /// <summary>Diagnostic property set when the callback is an SslStream constructor argument, where null means default validation.</summary>
    internal const string NullableArgumentProperty = "NullableArgument";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CertificateValidationDisabled,
        title: "Certificate validation is disabled",
        messageFormat: "{0} accepts every certificate, so anyone on the network path can impersonate the peer; validate the certificate or remove the callback",
        category: RuleCategories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A validation callback that returns true whatever it is given turns TLS into encryption with an unknown party. Return errors == SslPolicyErrors.None, or check a pinned thumbprint or a custom root for real.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CertificateValidationDisabled));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ValidationTypes.TryCreate(start.Compilation) is not { } types
                || !SourceKeywords.AnyTreeContains(start.Compilation, SourceKeywords.Validation))
            {
                return;
            }

            ValidationCallbackSinks.Register(start, types, (c, installed, callback, _) => ReportIfAcceptsAny(c, types, installed, callback));
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

            if (types.HttpClientHandler is not null && SourceKeywords.AnyTreeContains(start.Compilation, "DangerousAcceptAny"))
            {
                start.RegisterOperationAction(c => AnalyzePropertyReference(c, types), OperationKind.PropertyReference);
            }

            if (types.HttpsConnectionAdapterOptions is not null && SourceKeywords.AnyTreeContains(start.Compilation, "AllowAnyClientCertificate"))
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
            }
        });
    }

    private static bool ReportIfAcceptsAny(OperationAnalysisContext context, ValidationTypes types, IOperation installed, ValidationCallbackBody callback)
    {
        if (CallbackEvaluator.Evaluate(callback, types, context.Compilation) != CallbackVerdict.AcceptsAnyCertificate)
        {
            return false;
        }

        var properties = installed.Parent switch
        {
            ISimpleAssignmentOperation { Parent: IExpressionStatementOperation or IObjectOrCollectionInitializerOperation } => ImmutableDictionary<string, string?>.Empty.Add(RemovableAssignmentProperty, "true"),
            IArgumentOperation { Parent: IObjectCreationOperation { Type: { Name: "SslStream", ContainingNamespace.Name: "Security" } } } => ImmutableDictionary<string, string?>.Empty.Add(NullableArgumentProperty, "true"),
            _ => ImmutableDictionary<string, string?>.Empty,
        };
        context.ReportDiagnostic(Diagnostic.Create(Rule, installed.Syntax.GetLocation(), properties, "This validation callback"));
        return true;
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context, ValidationTypes types)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "DangerousAcceptAnyServerCertificateValidator"
            || !SymbolEqualityComparer.Default.Equals(reference.Property.ContainingType, types.HttpClientHandler)
            || reference.Parent is INameOfOperation
            || IsOnlyCompared(reference))
        {
            return;
        }

        var properties = reference.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation or IObjectOrCollectionInitializerOperation } assignment
                         && assignment.Value == reference
            ? ImmutableDictionary<string, string?>.Empty.Add(RemovableAssignmentProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Rule, reference.Syntax.GetLocation(), properties, "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator"));
    }

    /// <summary>A guard that compares a handler's callback with the validator and throws installs nothing.</summary>
    private static bool IsOnlyCompared(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IBinaryOperation or IIsPatternOperation
            || parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Equals" or "ReferenceEquals" } };
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ValidationTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name == "AllowAnyClientCertificate"
            && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.HttpsConnectionAdapterOptions))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), "AllowAnyClientCertificate()"));
        }
    }
}
