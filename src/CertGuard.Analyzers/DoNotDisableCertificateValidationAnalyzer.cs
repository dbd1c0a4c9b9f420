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
            if (ValidationTypes.TryCreate(start.Compilation) is not { } types)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeAssignment(c, types), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.EventAssignment);
            start.RegisterOperationAction(c => AnalyzeArgument(c, types), OperationKind.Argument);

            if (types.HttpClientHandler is not null)
            {
                start.RegisterOperationAction(c => AnalyzePropertyReference(c, types), OperationKind.PropertyReference);
            }

            if (types.HttpsConnectionAdapterOptions is not null)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, ValidationTypes types)
    {
        IOperation value;
        ITypeSymbol? targetType;
        switch (context.Operation)
        {
            // `-=` removes a callback: only `=` and `+=` install one.
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add }
                when context.Operation is IAssignmentOperation { Target: IPropertyReferenceOperation or IFieldReferenceOperation } assignment:
                value = assignment.Value;
                targetType = assignment.Target.Type;
                break;
            case IEventAssignmentOperation { Adds: true } eventAssignment:
                value = eventAssignment.HandlerValue;
                targetType = eventAssignment.EventReference.Type;
                break;
            default:
                return;
        }

        if (!types.IsValidationCallbackType(targetType))
        {
            return;
        }

        if (ValidationCallbackBody.TryResolve(value, context.Compilation) is { } callback && callback.AcceptsAnyCertificate(types))
        {
            var properties = context.Operation is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation or IObjectOrCollectionInitializerOperation }
                ? ImmutableDictionary<string, string?>.Empty.Add(RemovableAssignmentProperty, "true")
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), properties, "This validation callback"));
        }
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, ValidationTypes types)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind == ArgumentKind.DefaultValue
            || argument.Parameter is not { } parameter
            || !types.IsValidationCallbackType(parameter.Type))
        {
            return;
        }

        if (ValidationCallbackBody.TryResolve(argument.Value, context.Compilation) is { } callback && callback.AcceptsAnyCertificate(types))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, argument.Value.Syntax.GetLocation(), "This validation callback"));
        }
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context, ValidationTypes types)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "DangerousAcceptAnyServerCertificateValidator"
            || !SymbolEqualityComparer.Default.Equals(reference.Property.ContainingType, types.HttpClientHandler)
            || reference.Parent is INameOfOperation)
        {
            return;
        }

        var properties = reference.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation or IObjectOrCollectionInitializerOperation } assignment
                         && assignment.Value == reference
            ? ImmutableDictionary<string, string?>.Empty.Add(RemovableAssignmentProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Rule, reference.Syntax.GetLocation(), properties, "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator"));
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
