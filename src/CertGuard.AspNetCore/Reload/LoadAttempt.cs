namespace CertGuard.AspNetCore.Reload;

/// <summary>What reading certificate files gave: a certificate to serve, or why there is none.</summary>
internal sealed record LoadAttempt(ServableCertificate? Certificate, ReloadRejectionReason Reason, string? Problem)
{
    public static LoadAttempt Accepted(ServableCertificate certificate) => new(certificate, default, null);

    public static LoadAttempt Rejected(ReloadRejectionReason reason, string problem) => new(null, reason, problem);
}
