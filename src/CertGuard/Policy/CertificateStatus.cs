namespace CertGuard.Policy;

/// <summary>The overall state of a certificate: the worst of its findings.</summary>
public enum CertificateStatus
{
    /// <summary>No finding above <see cref="FindingSeverity.Info"/>.</summary>
    Healthy,

    /// <summary>At least one <see cref="FindingSeverity.Warning"/>: act before it becomes an outage.</summary>
    Degraded,

    /// <summary>At least one <see cref="FindingSeverity.Critical"/>: the certificate cannot serve.</summary>
    Unhealthy,
}
