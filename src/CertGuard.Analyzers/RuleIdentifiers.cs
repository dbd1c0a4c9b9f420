namespace CertGuard.Analyzers;

/// <summary>The public, stable identifiers of the CertGuard rules and where each is documented.</summary>
internal static class RuleIdentifiers
{
    public const string HardCodedCertificatePath = "CG1001";
    public const string HardCodedCertificatePassword = "CG1002";
    public const string CertificateValidationDisabled = "CG1003";
    public const string RevocationCheckDisabled = "CG1004";
    public const string ChainErrorsIgnored = "CG1005";
    public const string EmbeddedCertificate = "CG1006";
    public const string EmbeddedCertificateExpiry = "CG1007";
    public const string ShippedCertificateExpiry = "CG1008";

    /// <summary>The documentation page of a rule, as given in every descriptor's help link.</summary>
    public static string GetHelpUri(string identifier) =>
        "https://github.com/certguard/certguard/blob/main/docs/rules/" + identifier + ".md";
}
