namespace CertGuard.Loading;

/// <summary>Why a source, or one entry inside it, gave no certificate.</summary>
/// <param name="Location">The file, entry, store or endpoint that failed, as a person would name it.</param>
/// <param name="Reason">The stable reason code.</param>
/// <param name="Message">A one-line explanation a person can act on. Never contains a password.</param>
public sealed record LoadError(string Location, LoadErrorReason Reason, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Reason}: {Message}";
}
