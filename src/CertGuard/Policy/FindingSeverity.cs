namespace CertGuard.Policy;

/// <summary>How serious a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; nothing to fix.</summary>
    Info,

    /// <summary>Needs attention soon; the certificate still serves. Makes a certificate <see cref="CertificateStatus.Degraded"/>.</summary>
    Warning,

    /// <summary>The certificate cannot serve (or is about to stop). Makes a certificate <see cref="CertificateStatus.Unhealthy"/>.</summary>
    Critical,
}
