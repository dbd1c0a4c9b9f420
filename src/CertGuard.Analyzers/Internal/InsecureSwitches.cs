using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The bool switches with which MQTT, FTP, database and mail clients turn validation off
/// (<c>AllowUntrustedCertificates = true</c>, <c>ValidateAnyCertificate = true</c>, ...), by the rule each breaks.
/// </summary>
internal static class InsecureSwitches
{
    /// <summary>The rule a <c>Name = true</c> assignment breaks, or null for any other assignment.</summary>
    public static string? RuleOf(IOperation operation, Compilation compilation)
    {
        if (operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean } property } } assignment
            || HardCodedString.Unwrap(assignment.Value)?.ConstantValue is not { HasValue: true, Value: true })
        {
            return null;
        }

        return property.Name switch
        {
            "AllowUntrustedCertificates" or "ValidateAnyCertificate" or "AcceptAnyCertificate" or "AcceptAllCertificates"
                or "IgnoreCertificateErrors" or "SkipCertificateValidation" or "TrustServerCertificate" or "AcceptAnyServerCertificate"
                => RuleIdentifiers.CertificateValidationDisabled,
            "IgnoreCertificateChainErrors" or "AllowUntrustedRoot" or "IgnoreCertificateNameMismatch" or "AllowNameMismatch"
                => RuleIdentifiers.ChainErrorsIgnored,
            "IgnoreCertificateRevocationErrors" or "IgnoreRevocationErrors"
                => RuleIdentifiers.RevocationCheckDisabled,
            _ => null,
        };
    }
}
