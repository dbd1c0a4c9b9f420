using System.Reflection;

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

    /// <summary>Where the rule pages of this build live; stamped by the build (see the project file).</summary>
    private static readonly string RulesUrl = ReadRulesUrl();

    /// <summary>
    /// The documentation page of a rule, as given in every descriptor's help link: the page at the release tag of the
    /// version this analyzer was built as (<c>{RepositoryUrl}/blob/v{Version}/docs/rules/CGxxxx.md</c>), so a link
    /// never shows a page written for a later version. The same pages ship in the CertGuard package under docs/rules.
    /// </summary>
    public static string GetHelpUri(string identifier) => RulesUrl + identifier + ".md";

    private static string ReadRulesUrl()
    {
        foreach (AssemblyMetadataAttribute attribute in typeof(RuleIdentifiers).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute.Key == "CertGuardRulesUrl" && !string.IsNullOrEmpty(attribute.Value))
            {
                return attribute.Value!;
            }
        }

        return "https://github.com/certguard/certguard/blob/main/docs/rules/";
    }
}
