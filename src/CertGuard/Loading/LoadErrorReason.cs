namespace CertGuard.Loading;

/// <summary>Why a source gave no certificate. The names are a stable contract.</summary>
public enum LoadErrorReason
{
    /// <summary>The file, directory, store or certificate does not exist.</summary>
    NotFound = 1,

    /// <summary>The process may not read the source.</summary>
    AccessDenied,

    /// <summary>The source holds no bytes (or only white space).</summary>
    Empty,

    /// <summary>The bytes are in no certificate format CertGuard reads.</summary>
    UnrecognizedFormat,

    /// <summary>The bytes look like a certificate format but are damaged or truncated.</summary>
    Corrupt,

    /// <summary>The content is protected and no password was given.</summary>
    PasswordRequired,

    /// <summary>None of the given passwords opens the content.</summary>
    WrongPassword,

    /// <summary>The content was read but holds no certificate (for example a key-only PEM file).</summary>
    NoCertificate,

    /// <summary>The source is larger than the configured limit and was not read.</summary>
    TooLarge,

    /// <summary>The source did not answer within its timeout.</summary>
    Timeout,

    /// <summary>A network endpoint could not be reached (refused, unreachable, reset, name not resolved).</summary>
    ConnectionFailed,

    /// <summary>A network endpoint answered, but the TLS handshake failed (alert, not TLS, garbage).</summary>
    HandshakeFailed,

    /// <summary>A private key does not belong to its certificate.</summary>
    KeyMismatch,

    /// <summary>The format is recognized but not supported (for example a JCEKS or BKS keystore).</summary>
    UnsupportedFormat,

    /// <summary>The source exists but reading it failed (an I/O error).</summary>
    ReadFailed,

    /// <summary>The path names a named pipe, socket or device, which is never opened as a certificate file.</summary>
    NotARegularFile,

    /// <summary>The path, or a directory on it, is longer than the operating system allows, so it cannot be opened.</summary>
    PathTooLong,
}
