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
            if (CertificateLoadingMethods.TryCreate(start.Compilation) is not { } methods
                || !SourceKeywords.AnyTreeContains(start.Compilation, "X509", "Certificate", "UseHttps", "Encrypted"))
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
            if (method.Name.StartsWith("Open", StringComparison.Ordinal) && methods.IsFileRead(method) && arguments.Length > 0 && !FeedsCertificateMethod(context.Operation, methods))
            {
                // File.OpenRead("certs/server.pfx"): a certificate file opened by a fixed name, whatever reads the stream.
                CheckCertificateFile(context, arguments[0].Value);
            }

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

    /// <summary>The File.ReadAll* call that produced an argument, inline, awaited or through a local.</summary>
    private static IInvocationOperation? ResolveFileRead(IOperation value, Compilation compilation)
    {
        foreach (var origin in ValueOrigins.Find(value, compilation))
        {
            if ((origin is IAwaitOperation awaited ? HardCodedString.Unwrap(awaited.Operation) : origin) is IInvocationOperation invocation)
            {
                return invocation;
            }
        }

        return null;
    }

    /// <summary>The read is an argument of a certificate loader, which reports it with the loader.</summary>
    private static bool FeedsCertificateMethod(IOperation read, CertificateLoadingMethods methods)
    {
        var current = read.Parent;
        while (current is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            current = current.Parent;
        }

        var method = current switch
        {
            IArgumentOperation { Parent: IInvocationOperation invocation } => invocation.TargetMethod,
            IArgumentOperation { Parent: IObjectCreationOperation creation } => creation.Constructor,
            _ => null,
        };
        return method is not null && methods.IsCertificateMethod(method);
    }

    private static void CheckCertificateFile(OperationAnalysisContext context, IOperation pathOperation)
    {
        if (HardCodedString.TryGetValue(pathOperation, context.Compilation, out var path) && CertificateLoadingMethods.HasCertificateExtension(path))
        {
            Check(context, pathOperation, pathOperation);
        }
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
