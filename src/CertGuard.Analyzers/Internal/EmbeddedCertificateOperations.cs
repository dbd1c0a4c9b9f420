using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Calls back for every string constant in source that holds a certificate: a literal of any kind
/// (regular, verbatim, raw, UTF-8) or a concatenation of literals. A const field is its literal.
/// </summary>
internal static class EmbeddedCertificateOperations
{
    public static void Register(AnalysisContext analysisContext, Action<OperationAnalysisContext, ImmutableArray<DerCertificate>> onFound) =>
        analysisContext.RegisterCompilationStartAction(context =>
        {
            // PEM, base64 DER ("MII..."), or DER spelled out as bytes (0x30, 0x82, ...): nothing to find without one of these.
            if (SourceKeywords.AnyTreeContains(context.Compilation, "-----BEGIN", "MII", "0x30"))
            {
                Register(context, onFound);
            }
        });

    private static void Register(CompilationStartAnalysisContext context, Action<OperationAnalysisContext, ImmutableArray<DerCertificate>> onFound)
    {
        context.RegisterOperationAction(
            c =>
            {
                if (c.Operation.ConstantValue is { HasValue: true, Value: string text })
                {
                    Report(c, text, onFound);
                }
            },
            OperationKind.Literal);

        context.RegisterOperationAction(
            c => Report(c, ((IUtf8StringOperation)c.Operation).Value, onFound),
            OperationKind.Utf8String);

        context.RegisterOperationAction(
            c =>
            {
                // Only the outermost constant concatenation, and only when no single literal in it was a certificate already.
                var binary = (IBinaryOperation)c.Operation;
                if (binary is { OperatorKind: BinaryOperatorKind.Add, ConstantValue: { HasValue: true, Value: string text } }
                    && binary.Parent is not IBinaryOperation { ConstantValue.HasValue: true }
                    && !EmbeddedCertificateFinder.Find(text).IsEmpty
                    && !AnyLiteralHoldsCertificate(binary))
                {
                    Report(c, text, onFound);
                }
            },
            OperationKind.Binary);

        context.RegisterOperationAction(c => AnalyzeArray(c, onFound), OperationKind.ArrayCreation);
    }

    /// <summary>
    /// <c>new byte[] { 0x30, 0x82, ... }</c> (DER written out as bytes) and <c>{ "-----BEGIN CERTIFICATE-----", "MII...", ... }</c>
    /// (PEM as an array of lines): a certificate in source, only spelled differently.
    /// </summary>
    private static void AnalyzeArray(OperationAnalysisContext context, Action<OperationAnalysisContext, ImmutableArray<DerCertificate>> onFound)
    {
        var array = (IArrayCreationOperation)context.Operation;
        if (array.Initializer is not { ElementValues: { Length: > 2 } elements })
        {
            return;
        }

        var elementType = ((IArrayTypeSymbol?)array.Type)?.ElementType.SpecialType;
        if (elementType == SpecialType.System_Byte && elements.Length >= 200)
        {
            var bytes = new byte[elements.Length];
            for (var i = 0; i < elements.Length; i++)
            {
                if (elements[i].ConstantValue is not { HasValue: true, Value: byte value })
                {
                    return;
                }

                bytes[i] = value;
            }

            if (bytes[0] == 0x30 && DerCertificate.TryParse(bytes) is { } certificate)
            {
                onFound(context, ImmutableArray.Create(certificate));
            }
        }
        else if (elementType == SpecialType.System_String
                 && elements[0].ConstantValue is { HasValue: true, Value: string first }
                 && first.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0)
        {
            var text = new System.Text.StringBuilder();
            foreach (var element in elements)
            {
                if (element.ConstantValue is not { HasValue: true, Value: string line })
                {
                    return;
                }

                text.Append(line).Append('\n');
            }

            Report(context, text.ToString(), onFound);
        }
    }

    private static void Report(OperationAnalysisContext context, string text, Action<OperationAnalysisContext, ImmutableArray<DerCertificate>> onFound)
    {
        var certificates = EmbeddedCertificateFinder.Find(text);
        if (!certificates.IsEmpty)
        {
            onFound(context, certificates);
        }
    }

    private static bool AnyLiteralHoldsCertificate(IOperation operation)
    {
        foreach (var child in operation.ChildOperations)
        {
            if (child is ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } && !EmbeddedCertificateFinder.Find(text).IsEmpty)
            {
                return true;
            }

            if (AnyLiteralHoldsCertificate(child))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The certificate that expires first: the one that will break first.</summary>
    public static DerCertificate FirstToExpire(ImmutableArray<DerCertificate> certificates)
    {
        var first = certificates[0];
        foreach (var certificate in certificates)
        {
            if (certificate.NotAfter < first.NotAfter)
            {
                first = certificate;
            }
        }

        return first;
    }

    /// <summary>"'CN' " or "" when the certificate has no common name.</summary>
    public static string DescribeSubject(DerCertificate certificate) =>
        certificate.CommonName is { Length: > 0 } name ? "'" + name + "' " : string.Empty;
}
