using System.Diagnostics;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard;

/// <summary>
/// Scans a source from end to end: loads its certificates, reads their facts, checks revocation where asked, and
/// judges them with the policy. Never throws for a bad source: failures become <see cref="LoadError"/>s.
/// </summary>
public sealed class CertificateScanner
{
    private readonly TimeProvider _timeProvider;
    private readonly CertificateInspector _inspector;
    private readonly IRevocationChecker? _revocationChecker;

    /// <summary>Creates a scanner.</summary>
    /// <param name="policy">The policy to judge with; the default policy when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="revocationChecker">Checks revocation for sources that ask for it; none when null.</param>
    public CertificateScanner(CertificatePolicy? policy = null, TimeProvider? timeProvider = null, IRevocationChecker? revocationChecker = null)
    {
        Policy = policy ?? new CertificatePolicy();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _inspector = new CertificateInspector(_timeProvider);
        _revocationChecker = revocationChecker;
    }

    /// <summary>The policy findings are judged with.</summary>
    public CertificatePolicy Policy { get; }

    /// <summary>Scans a source within its timeout.</summary>
    /// <param name="source">The source.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The reports and errors.</returns>
    public async Task<SourceScan> ScanAsync(CertificateSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = _timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(source.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        var reports = new List<CertificateReport>();
        var errors = new List<LoadError>();
        var parts = source.LoadPartsAsync(linked.Token).GetAsyncEnumerator(linked.Token);
        await using (parts.ConfigureAwait(false))
        {
            // One part at a time: a directory of 100,000 files never holds more than one file's certificates.
            while (await NextPartAsync(source, parts, cancellationToken).ConfigureAwait(false) is ({ } part, var failed))
            {
                if (failed)
                {
                    // Cut short: a partial list would silently drop certificates, so report the failure alone, as a
                    // source that loads in one piece does.
                    reports.Clear();
                    errors.AddRange(part.Errors);
                    break;
                }

                using (part)
                {
                    errors.AddRange(part.Errors);
                    foreach (var certificate in part.Certificates)
                    {
                        if (await ReportAsync(certificate, source, errors, linked.Token, cancellationToken).ConfigureAwait(false) is { } report)
                        {
                            reports.Add(report);
                        }
                    }
                }
            }
        }

        return new SourceScan
        {
            Source = source,
            Reports = reports,
            Errors = errors,
            ScannedAt = _timeProvider.GetUtcNow(),
            Duration = _timeProvider.GetElapsedTime(started),
        };
    }

    /// <summary>The next part (null at the end), or the error of a source that timed out or threw while loading it.</summary>
    private static async Task<(CertificateLoadResult? Part, bool Failed)> NextPartAsync(CertificateSource source, IAsyncEnumerator<CertificateLoadResult> parts, CancellationToken callerToken)
    {
        try
        {
            return (await parts.MoveNextAsync().ConfigureAwait(false) ? parts.Current : null, false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (CertificateLoadResult.Failed(source.Location, LoadErrorReason.Timeout, $"did not answer within {source.Timeout.TotalSeconds:0.#} s"), true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A source is supposed to report its own failures; this keeps a faulty one from taking the scan down.
            return (CertificateLoadResult.Failed(source.Location, LoadErrorReason.ReadFailed, $"the source failed ({ex.GetType().Name})"), true);
        }
    }

    private async Task<CertificateReport?> ReportAsync(LoadedCertificate certificate, CertificateSource source, List<LoadError> errors, CancellationToken token, CancellationToken callerToken)
    {
        var facts = Inspect(certificate, source, errors);
        if (facts is null)
        {
            return null;
        }

        facts = await CheckRevocationAsync(certificate, facts, source, token, callerToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        return new CertificateReport
        {
            SourceName = source.Name,
            Owner = source.Owner,
            Tags = source.Tags,
            Facts = facts,
            Findings = Policy.Evaluate(facts, now),
            EvaluatedAt = now,
        };
    }

    private CertificateFacts? Inspect(LoadedCertificate certificate, CertificateSource source, List<LoadError> errors)
    {
        try
        {
            return _inspector.Inspect(certificate, source.Trust);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            errors.Add(new LoadError(certificate.DisplayLocation, LoadErrorReason.Corrupt, $"cannot be inspected ({ex.GetType().Name})"));
            return null;
        }
    }

    private async Task<CertificateFacts> CheckRevocationAsync(LoadedCertificate certificate, CertificateFacts facts, CertificateSource source, CancellationToken token, CancellationToken callerToken)
    {
        if (_revocationChecker is null || source.Revocation == RevocationCheckMode.Off)
        {
            return facts;
        }

        try
        {
            var revocation = await _revocationChecker.CheckAsync(WithTrustAnchors(certificate, source.Trust), facts, source.Revocation, token).ConfigureAwait(false);
            return revocation is null ? facts : facts with { Revocation = revocation };
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            // The source's timeout covers loading and revocation together; say which ran out, not which exception.
            return facts with { Revocation = Unknown($"the source's timeout of {source.Timeout.TotalSeconds:0.#} s ran out before the revocation check finished") };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Debug.WriteLine($"Revocation check failed for {certificate.DisplayLocation}: {ex.GetType().Name}");
            return facts with { Revocation = Unknown($"the check failed ({ex.GetType().Name})") };
        }
    }

    /// <summary>
    /// The certificate with the caller's trust anchors added to its presented chain, as candidates for its issuer: a
    /// private CA's root is rarely presented with a leaf nor in the system's stores, yet the caller named it.
    /// </summary>
    private static LoadedCertificate WithTrustAnchors(LoadedCertificate certificate, ChainTrust trust)
    {
        if (trust.Mode != ChainTrustMode.Custom || trust.CustomRoots.Count == 0)
        {
            return certificate;
        }

        return new LoadedCertificate(certificate.Handle, certificate.Location, certificate.Format)
        {
            Entry = certificate.Entry,
            PrivateKeyProtection = certificate.PrivateKeyProtection,
            Connection = certificate.Connection,
            ConfiguredCertificate = certificate.ConfiguredCertificate,
            IsChainMember = certificate.IsChainMember,
            PresentedChain = [.. certificate.PresentedChain, .. trust.CustomRoots.Where(r => !certificate.PresentedChain.Contains(r))],
        };
    }

    private static RevocationFacts Unknown(string problem) => new() { Status = RevocationStatus.Unknown, Problems = [problem] };
}
