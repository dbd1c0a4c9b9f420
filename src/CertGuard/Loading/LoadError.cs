using CertGuard.Policy;

namespace CertGuard.Loading;

/// <summary>Why a source, or one entry inside it, gave no certificate.</summary>
/// <param name="Location">The file, entry, store or endpoint that failed, as a person would name it.</param>
/// <param name="Reason">The stable reason code.</param>
/// <param name="Message">A one-line explanation a person can act on. Never contains a password.</param>
public sealed record LoadError(string Location, LoadErrorReason Reason, string Message)
{
    /// <summary>
    /// How much the failure weighs in the verdict: <see cref="FindingSeverity.Critical"/> (unhealthy) for a source that
    /// was named explicitly; a directory source gives its files' failures its own, lower, severity, since one bad file
    /// in a folder is not necessarily what the node serves.
    /// </summary>
    public FindingSeverity Severity { get; init; } = FindingSeverity.Critical;

    /// <summary>The status this error gives its source on its own.</summary>
    public CertificateStatus Status => Severity switch
    {
        FindingSeverity.Critical => CertificateStatus.Unhealthy,
        FindingSeverity.Warning => CertificateStatus.Degraded,
        _ => CertificateStatus.Healthy,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Reason}: {Message}";
}
