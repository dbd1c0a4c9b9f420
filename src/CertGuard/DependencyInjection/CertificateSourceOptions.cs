using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Policy;

namespace CertGuard.DependencyInjection;

/// <summary>
/// One entry of <c>CertGuard:Certificates</c>: exactly one of <see cref="Path"/>, <see cref="Directory"/>,
/// <see cref="Endpoint"/> or <see cref="StoreName"/>, with a name, an owner and tags.
/// </summary>
/// <remarks>Deliberately not a record: <see cref="ToString"/> must never print <see cref="Password"/>.</remarks>
public sealed class CertificateSourceOptions
{
    /// <summary>A unique name, shown in health data, logs and metrics; derived from the location when empty.</summary>
    public string? Name { get; set; }

    /// <summary>Who owns the certificate (a team, a person).</summary>
    public string? Owner { get; set; }

    /// <summary>Free-form tags.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>A certificate file (PEM, DER, PFX, P7B, JKS).</summary>
    public string? Path { get; set; }

    /// <summary>A PEM private key file beside <see cref="Path"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a protected file. Prefer <see cref="PasswordEnvironmentVariable"/>. Never logged or reported.</summary>
    public string? Password { get; set; }

    /// <summary>The name of an environment variable holding the password.</summary>
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>A directory whose certificate files to watch, recursively.</summary>
    public string? Directory { get; set; }

    /// <summary>Glob patterns of files to load from <see cref="Directory"/>; the usual certificate extensions when empty.</summary>
    public IList<string> Include { get; } = [];

    /// <summary>Glob patterns of files to skip in <see cref="Directory"/>.</summary>
    public IList<string> Exclude { get; } = [];

    /// <summary>A TLS endpoint as <c>host:port</c> (<c>[::1]:443</c> for IPv6).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The name to send in SNI and to check the certificate against; the host when empty.</summary>
    public string? ServerName { get; set; }

    /// <summary>An operating-system store's name (<c>My</c>, <c>Root</c>, ...).</summary>
    public string? StoreName { get; set; }

    /// <summary>The store's location. Default current user.</summary>
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>The thumbprint of the certificate to find in the store.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>Text the subject of the certificate to find in the store must contain.</summary>
    public string? Subject { get; set; }

    /// <summary>The trust to evaluate chains with; the source's default (none for files and stores, system for endpoints) when null.</summary>
    public ChainTrustMode? Trust { get; set; }

    /// <summary>A file of root certificates to trust when <see cref="Trust"/> is <see cref="ChainTrustMode.Custom"/>.</summary>
    public string? TrustedRootsPath { get; set; }

    /// <summary>Whether to check revocation (<c>Off</c>, <c>Offline</c>, <c>Online</c>); the source's default (off for files and stores, online for endpoints) when null.</summary>
    public RevocationCheckMode? Revocation { get; set; }

    /// <summary>How long one refresh may take; the source's default (30 seconds) when null.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// The severity of one file inside <see cref="Directory"/> that cannot be loaded: <c>Warning</c> (Degraded, HTTP 200)
    /// when null. An explicitly configured <see cref="Path"/> that cannot be loaded is always critical.
    /// </summary>
    public FindingSeverity? UnreadableFileSeverity { get; set; }

    /// <summary>
    /// How long a file that fails to load must have been left alone before the failure counts, so a certificate
    /// rewritten in place is judged once written; five seconds when null, zero to judge at once.
    /// </summary>
    public TimeSpan? WriteSettleTime { get; set; }

    /// <inheritdoc />
    public override string ToString()
    {
        var location = Path ?? Directory ?? Endpoint ?? (StoreName is null ? null : $"store:{StoreLocation}/{StoreName}") ?? "nothing";
        return $"{nameof(CertificateSourceOptions)} {{ Name = {Name}, Location = {location}, Password = {(Password is null ? "none" : "***")} }}";
    }
}
