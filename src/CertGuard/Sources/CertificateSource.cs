using System.Runtime.CompilerServices;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>
/// Where certificates live: a file, a directory, a store, a TLS endpoint, or certificates held in memory, with a
/// name, an owner and tags that flow into every report, log and metric. A source never throws for a bad
/// certificate: it reports a <see cref="LoadError"/> naming the location and the reason.
/// </summary>
public abstract class CertificateSource
{
    /// <summary>Creates a source.</summary>
    /// <param name="name">A name unique among the registered sources.</param>
    protected CertificateSource(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The source's name, unique among the registered sources.</summary>
    public string Name { get; }

    /// <summary>Who owns the certificates (a team, a person), shown in every report.</summary>
    public string? Owner { get; init; }

    /// <summary>Free-form tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The trust to evaluate chains with. Files and stores default to none; endpoints to the system roots.</summary>
    public ChainTrust Trust { get; init; } = ChainTrust.None;

    /// <summary>Whether to check revocation. Files and stores default to off; endpoints to online.</summary>
    public RevocationCheckMode Revocation { get; init; } = RevocationCheckMode.Off;

    /// <summary>How long one load may take before it is abandoned with <see cref="LoadErrorReason.Timeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What kind of source this is: <c>file</c>, <c>directory</c>, <c>store</c>, <c>endpoint</c> or <c>memory</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where the certificates are, as a person would name it (a path, <c>host:port</c>, a store).</summary>
    public abstract string Location { get; }

    /// <summary>Whether loading reaches the network (such sources are loaded with bounded concurrency).</summary>
    public virtual bool IsRemote => false;

    /// <summary>Files whose change should trigger a refresh at once; empty for sources with nothing to watch.</summary>
    public virtual IReadOnlyList<string> WatchedPaths => [];

    /// <summary>Loads the source's certificates.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The certificates and load errors; the caller disposes it.</returns>
    public abstract ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Loads the certificates in parts, so a scanner can inspect and release each part before it loads the next and
    /// memory stays flat however large the source is. By default the whole source is one part.
    /// </summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The parts, each owned (and disposed) by the caller.</returns>
    public virtual async IAsyncEnumerable<CertificateLoadResult> LoadPartsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Name}' ({Location})";
}
