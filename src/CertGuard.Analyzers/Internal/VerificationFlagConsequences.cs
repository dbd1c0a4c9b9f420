using System.Collections.Generic;

namespace CertGuard.Analyzers.Internal;

/// <summary>What a set of X509VerificationFlags lets through, in words, so each message says what its flags really do.</summary>
internal static class VerificationFlagConsequences
{
    private const int IgnoreNotTimeValid = 0x1;
    private const int IgnoreCtlNotTimeValid = 0x2;
    private const int IgnoreNotTimeNested = 0x4;
    private const int IgnoreInvalidBasicConstraints = 0x8;
    private const int AllowUnknownCertificateAuthority = 0x10;
    private const int IgnoreWrongUsage = 0x20;
    private const int IgnoreInvalidName = 0x40;
    private const int IgnoreInvalidPolicy = 0x80;
    private const int IgnoreEndRevocationUnknown = 0x100;
    private const int IgnoreCtlSignerRevocationUnknown = 0x200;
    private const int IgnoreCertificateAuthorityRevocationUnknown = 0x400;
    private const int IgnoreRootRevocationUnknown = 0x800;

    public static string Describe(int flags)
    {
        var parts = new List<string>();
        if ((flags & (IgnoreNotTimeValid | IgnoreCtlNotTimeValid | IgnoreNotTimeNested)) != 0)
        {
            parts.Add("an expired or not yet valid certificate");
        }

        if ((flags & AllowUnknownCertificateAuthority) != 0)
        {
            parts.Add("a certificate from an untrusted authority");
        }

        if ((flags & (IgnoreInvalidBasicConstraints | IgnoreWrongUsage | IgnoreInvalidName | IgnoreInvalidPolicy)) != 0)
        {
            parts.Add("a certificate used outside its constraints, usage, names or policy");
        }

        if ((flags & (IgnoreEndRevocationUnknown | IgnoreCtlSignerRevocationUnknown | IgnoreCertificateAuthorityRevocationUnknown | IgnoreRootRevocationUnknown)) != 0)
        {
            parts.Add("a certificate whose revocation status cannot be determined");
        }

        return parts.Count switch
        {
            0 => "a certificate with chain errors",
            1 => parts[0],
            _ => string.Join(", ", parts.GetRange(0, parts.Count - 1)) + " or " + parts[parts.Count - 1],
        };
    }
}
