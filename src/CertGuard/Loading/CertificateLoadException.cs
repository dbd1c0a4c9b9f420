namespace CertGuard.Loading;

/// <summary>Thrown by the loading methods that return a single certificate, when it cannot be loaded.</summary>
public sealed class CertificateLoadException : Exception
{
    /// <summary>Creates the exception from the error that caused it.</summary>
    /// <param name="error">What failed and why.</param>
    public CertificateLoadException(LoadError error)
        : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>What failed and why.</summary>
    public LoadError Error { get; }

    /// <summary>The location that failed.</summary>
    public string Location => Error.Location;

    /// <summary>The stable reason code.</summary>
    public LoadErrorReason Reason => Error.Reason;
}
