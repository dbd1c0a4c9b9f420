using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Custom trust written the way it was before X509ChainTrustMode.CustomRootTrust: the chain policy relaxes the
/// platform's checks (no revocation, unknown authority allowed) and the same code then compares the chain's
/// elements with a certificate it knows. That is pinning a private root, not disabled validation.
/// </summary>
internal static class CustomTrust
{
    public static bool IsCheckedAfterwards(IOperation policySetting, Compilation compilation)
    {
        var body = policySetting;
        while (body.Parent is { } parent && body is not (IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            body = parent;
        }

        foreach (var operation in ValueOrigins.Descendants(body))
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "ChainElements" } elements
                && elements.Syntax.SpanStart > policySetting.Syntax.SpanStart
                && ComparesWithKnownCertificate(body, elements))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An element's certificate compared by thumbprint, raw bytes, hash or Equals somewhere after the chain is read.</summary>
    private static bool ComparesWithKnownCertificate(IOperation body, IOperation elements)
    {
        foreach (var operation in ValueOrigins.Descendants(body))
        {
            if (operation.Syntax.SpanStart < elements.Syntax.SpanStart)
            {
                continue;
            }

            var name = operation switch
            {
                IPropertyReferenceOperation property => property.Property.Name,
                IInvocationOperation invocation => invocation.TargetMethod.Name,
                _ => null,
            };
            if (name is "Thumbprint" or "RawData" or "GetCertHash" or "GetCertHashString" or "GetRawCertData" or "Equals" or "SequenceEqual" or "SubjectKeyIdentifier" or "GetPublicKey")
            {
                return true;
            }
        }

        return false;
    }
}
