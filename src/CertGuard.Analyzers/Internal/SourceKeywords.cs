using System;
using Microsoft.CodeAnalysis;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The cheapest bail-out at compilation start: a rule registers nothing when no source file even spells the words its
/// findings need (the platform types are always referenced, so resolving them proves nothing). One ordinal scan of
/// the text per word is far cheaper than an operation callback for every argument of the compilation.
/// </summary>
internal static class SourceKeywords
{
    public static bool AnyTreeContains(Compilation compilation, params string[] words)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!tree.TryGetText(out var text))
            {
                text = tree.GetText();
            }

            var content = text.ToString();
            foreach (var word in words)
            {
                if (content.IndexOf(word, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Words that any validation callback, insecure switch or dangerous validator in source must contain.</summary>
    public static readonly string[] Validation =
    {
        "SslPolicyErrors", "SslStream", "ValidationCallback", "CertificateValidation", "ValidateCertificate",
        "DangerousAcceptAny", "AllowAnyClientCertificate", "AllowUntrusted", "ValidateAnyCertificate", "AcceptAny", "AcceptAll",
        "IgnoreCertificate", "SkipCertificateValidation", "TrustServerCertificate", "AllowNameMismatch",
    };
}
