using System.Collections.Immutable;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers;

/// <summary>CG1002: the password of a certificate's private key is written into the source.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotHardCodeCertificatePasswordAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.HardCodedCertificatePassword,
        title: "Certificate password is hard-coded",
        messageFormat: "The certificate password is hard-coded; read it from a secret store, the environment or configuration",
        category: RuleCategories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A password in source code is in every copy of the repository and every build output; whoever has either can use the private key. It also cannot be rotated without a release.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.HardCodedCertificatePassword));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (CertificateLoadingMethods.TryCreate(start.Compilation) is not { } methods
                || !SourceKeywords.AnyTreeContains(start.Compilation, "X509", "Certificate", "UseHttps", "Encrypted"))
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    AnalyzeArguments(operationContext, methods, invocation.TargetMethod, invocation.Arguments);
                },
                OperationKind.Invocation);
            start.RegisterOperationAction(
                operationContext =>
                {
                    var creation = (IObjectCreationOperation)operationContext.Operation;
                    if (creation.Constructor is { } constructor)
                    {
                        AnalyzeArguments(operationContext, methods, constructor, creation.Arguments);
                    }
                },
                OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeArguments(OperationAnalysisContext context, CertificateLoadingMethods methods, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments)
    {
        if (!methods.IsCertificateMethod(method))
        {
            return;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter
                && argument.ArgumentKind != ArgumentKind.DefaultValue
                && CertificateLoadingMethods.IsPasswordParameter(parameter)
                && IsHardCodedPassword(argument.Value, methods, context.Compilation))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, argument.Value.Syntax.GetLocation()));
            }
        }
    }

    private static bool IsHardCodedPassword(IOperation value, CertificateLoadingMethods methods, Compilation compilation)
    {
        // An empty password protects nothing and reveals nothing; null means "no password".
        if (HardCodedString.TryGetValue(value, compilation, out var password))
        {
            return password.Length > 0;
        }

        if (methods.SecureString is not { } secureString || !SymbolEqualityComparer.Default.Equals(value.Type, secureString))
        {
            return false;
        }

        return HardCodedString.Unwrap(value) switch
        {
            ILocalReferenceOperation local => IsSecureStringBuiltFromLiteral(local.Local, compilation),

            // ToSecureString("secret"): a helper that wraps a literal still hands over the literal.
            IInvocationOperation helper => HasHardCodedArgument(helper, compilation),
            _ => false,
        };
    }

    private static bool HasHardCodedArgument(IInvocationOperation helper, Compilation compilation)
    {
        foreach (var argument in helper.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && HardCodedString.TryGetValue(argument.Value, compilation, out var text)
                && text.Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>var s = new SecureString(); foreach (var c in "pw") s.AppendChar(c);</c> or
    /// <c>new NetworkCredential("", "pw").SecurePassword</c>: the SecureString only hides a literal.
    /// </summary>
    private static bool IsSecureStringBuiltFromLiteral(ILocalSymbol local, Compilation compilation)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator)
        {
            return false;
        }

        var model = SemanticModels.Get(compilation, declarator.SyntaxTree);
        if (declarator.Initializer?.Value is { } initializer
            && HardCodedString.Unwrap(model.GetOperation(initializer)) is IPropertyReferenceOperation { Property.Name: "SecurePassword", Instance: IObjectCreationOperation credential }
            && credential.Arguments.Length >= 2
            && HardCodedString.TryGetValue(credential.Arguments[1].Value, compilation, out var credentialPassword)
            && credentialPassword.Length > 0)
        {
            return true;
        }

        var scope = declarator.FirstAncestorOrSelf<SyntaxNode>(node => node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return false;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AppendChar" } }
                || model.GetOperation(node) is not IInvocationOperation { Instance: ILocalReferenceOperation target } append
                || !SymbolEqualityComparer.Default.Equals(target.Local, local)
                || append.Arguments.Length != 1)
            {
                continue;
            }

            var character = HardCodedString.Unwrap(append.Arguments[0].Value);
            if (character is { ConstantValue: { HasValue: true, Value: char } })
            {
                return true;
            }

            if (character is ILocalReferenceOperation loopVariable
                && loopVariable.Local.DeclaringSyntaxReferences.Length == 1
                && loopVariable.Local.DeclaringSyntaxReferences[0].GetSyntax() is ForEachStatementSyntax loop
                && HardCodedString.TryGetValue(model.GetOperation(loop.Expression), compilation, out var source)
                && source.Length > 0)
            {
                return true;
            }
        }

        return false;
    }
}
