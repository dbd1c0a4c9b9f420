using System;
using System.Collections.Immutable;
using CertGuard.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers;

/// <summary>CG1001: a certificate is loaded from a file path written into the source.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNotLoadCertificateFromHardCodedPathAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.HardCodedCertificatePath,
        title: "Certificate loaded from a hard-coded file path",
        messageFormat: "Certificate is loaded from the hard-coded path '{0}'; read the path from configuration so the certificate can be rotated without a release",
        category: RuleCategories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A path fixed at compile time ties the deployed certificate to the build: rotating it needs a new release, and every environment shares it. Read the path from configuration, or allow trusted mount points with dotnet_diagnostic.CG1001.allowed_path_prefixes.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.HardCodedCertificatePath));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (CertificateLoadingMethods.TryCreate(start.Compilation) is not { } methods)
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext => AnalyzeArguments(operationContext, methods, ((IInvocationOperation)operationContext.Operation).TargetMethod, ((IInvocationOperation)operationContext.Operation).Arguments),
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
            if (argument.Parameter is not { } parameter || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (CertificateLoadingMethods.IsPathParameter(parameter))
            {
                Check(context, argument.Value, argument.Value);
            }
            else if (ResolveFileRead(argument.Value, context.Compilation) is { } read
                     && methods.IsFileRead(read.TargetMethod)
                     && read.Arguments.Length > 0)
            {
                // new X509Certificate2(File.ReadAllBytes("cert.pfx")): the bytes come from a fixed path.
                Check(context, read.Arguments[0].Value, argument.Value);
            }
        }
    }

    /// <summary>The File.ReadAll* call that produced an argument, inline or through a local assigned once.</summary>
    private static IInvocationOperation? ResolveFileRead(IOperation value, Compilation compilation)
    {
        var unwrapped = HardCodedString.Unwrap(value);
        if (unwrapped is ILocalReferenceOperation local)
        {
            unwrapped = HardCodedString.Unwrap(HardCodedString.GetSingleAssignmentInitializer(local.Local, compilation));
        }

        return unwrapped as IInvocationOperation;
    }

    private static void Check(OperationAnalysisContext context, IOperation pathOperation, IOperation reportOn)
    {
        if (!HardCodedString.TryGetValue(pathOperation, context.Compilation, out var path) || path.Length == 0)
        {
            return;
        }

        foreach (var prefix in RuleOptions.GetAllowedPathPrefixes(context.Options, reportOn.Syntax.SyntaxTree))
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, reportOn.Syntax.GetLocation(), path));
    }
}
