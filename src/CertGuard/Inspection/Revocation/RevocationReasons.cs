namespace CertGuard.Inspection.Revocation;

/// <summary>The names RFC 5280 gives to revocation reason codes.</summary>
internal static class RevocationReasons
{
    private static readonly string[] Names =
    [
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "reason7", "removeFromCRL", "privilegeWithdrawn", "aACompromise",
    ];

    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : $"reason{code}";
}
