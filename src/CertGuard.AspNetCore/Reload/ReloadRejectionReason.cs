namespace CertGuard.AspNetCore.Reload;

/// <summary>Why new certificate files were not served; each is a low-cardinality metric label.</summary>
internal enum ReloadRejectionReason
{
    Unreadable,
    WrongPassword,
    KeyMismatch,
    NoPrivateKey,
    UnsupportedFormat,
    Expired,
    NotYetValid,
    UntrustedChain,
}
