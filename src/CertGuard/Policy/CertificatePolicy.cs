using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Policy;

/// <summary>
/// Turns facts into findings. Pure: the same facts, options and time always give the same findings, which makes
/// every threshold testable with a fake clock.
/// </summary>
public sealed class CertificatePolicy
{
    private static readonly HashSet<string> WeakHashes = new(StringComparer.OrdinalIgnoreCase) { "md2", "md4", "md5", "sha1" };
    private readonly HashSet<string> _ignored;

    /// <summary>Creates a policy.</summary>
    /// <param name="options">The thresholds; the defaults when null.</param>
    public CertificatePolicy(CertificatePolicyOptions? options = null)
    {
        Options = options ?? new CertificatePolicyOptions();
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _ignored = new HashSet<string>(Options.IgnoredFindings, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The thresholds in force.</summary>
    public CertificatePolicyOptions Options { get; }

    /// <summary>The status a set of findings adds up to: the worst of them.</summary>
    /// <param name="findings">The findings.</param>
    /// <returns>The status.</returns>
    public static CertificateStatus StatusOf(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var worst = CertificateStatus.Healthy;
        foreach (var finding in findings)
        {
            var status = finding.Severity switch
            {
                FindingSeverity.Critical => CertificateStatus.Unhealthy,
                FindingSeverity.Warning => CertificateStatus.Degraded,
                _ => CertificateStatus.Healthy,
            };
            worst = status > worst ? status : worst;
        }

        return worst;
    }

    /// <summary>How long before expiry a certificate with this lifetime enters its warning window.</summary>
    /// <param name="lifetime">The certificate's whole validity period.</param>
    /// <returns>The length of the window.</returns>
    public TimeSpan DegradedWindow(TimeSpan lifetime) => Window(Options.DegradedBefore, Options.DegradedLifetimeFraction, lifetime);

    /// <summary>How long before expiry a certificate with this lifetime becomes unhealthy.</summary>
    /// <param name="lifetime">The certificate's whole validity period.</param>
    /// <returns>The length of the window.</returns>
    public TimeSpan UnhealthyWindow(TimeSpan lifetime) => Window(Options.UnhealthyBefore, Options.UnhealthyLifetimeFraction, lifetime);

    /// <summary>The findings for a certificate's facts at a moment.</summary>
    /// <param name="facts">What is true of the certificate.</param>
    /// <param name="now">The moment to judge at.</param>
    /// <returns>The findings, most severe first.</returns>
    public IReadOnlyList<Finding> Evaluate(CertificateFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = new List<Finding>();
        if (facts.IsChainMember)
        {
            // A chain certificate is judged as one: its expiry in the intermediate's terms, and none of a leaf's findings.
            AddChainMemberValidity(facts, now, findings);
        }
        else
        {
            AddValidity(facts, now, findings);
            AddIntermediates(facts, now, findings);
            AddUsage(facts, findings);
        }

        AddKeyAndSignature(facts, findings);
        AddPrivateKey(facts, findings);
        AddChain(facts, findings);
        AddRevocation(facts, now, findings);
        AddDrift(facts, now, findings);
        findings.AddRange(facts.ReportedFindings);
        return findings
            .Where(f => !_ignored.Contains(f.Id))
            .OrderByDescending(f => f.Severity)
            .ToList();
    }

    /// <summary>The finding for a source that gave no certificate.</summary>
    /// <param name="error">Why it gave none.</param>
    /// <returns>A <c>load-error</c> finding with the error's severity (critical unless a directory source lowered it).</returns>
    public static Finding Evaluate(LoadError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Finding(FindingIds.LoadError, error.Severity, $"{error.Location}: {error.Reason}: {error.Message}");
    }

    private static TimeSpan Window(TimeSpan absolute, double? fraction, TimeSpan lifetime)
    {
        if (fraction is not > 0 || lifetime <= TimeSpan.Zero)
        {
            return absolute;
        }

        var share = TimeSpan.FromTicks((long)(lifetime.Ticks * fraction.Value));
        return share < absolute ? share : absolute;
    }

    private void AddValidity(CertificateFacts facts, DateTimeOffset now, List<Finding> findings)
    {
        if (now < facts.NotBefore)
        {
            findings.Add(NotYetValid(facts, now));
            return;
        }

        var remaining = facts.NotAfter - now;
        if (remaining <= TimeSpan.Zero)
        {
            findings.Add(new(FindingIds.Expired, FindingSeverity.Critical, $"Expired on {Format(facts.NotAfter)} ({Days(-remaining)} ago). Renew and deploy a new certificate."));
        }
        else if (remaining <= UnhealthyWindow(facts.Lifetime))
        {
            findings.Add(new(FindingIds.ExpiresSoon, FindingSeverity.Critical, $"Expires on {Format(facts.NotAfter)}, in {Days(remaining)}: inside the unhealthy window. Renew now."));
        }
        else if (remaining <= DegradedWindow(facts.Lifetime))
        {
            findings.Add(new(FindingIds.ExpiresSoon, FindingSeverity.Warning, $"Expires on {Format(facts.NotAfter)}, in {Days(remaining)}. Renew before then."));
        }
    }

    /// <summary>
    /// A certificate dated a little ahead of this host's clock was most likely issued moments ago by a CA whose clock is
    /// right: within the clock-skew tolerance it is a Warning, so a lagging replica keeps serving through a rotation.
    /// </summary>
    private Finding NotYetValid(CertificateFacts facts, DateTimeOffset now)
    {
        var gap = facts.NotBefore - now;
        return gap <= Options.ClockSkewTolerance
            ? new(FindingIds.NotYetValid, FindingSeverity.Warning,
                $"Valid from {Format(facts.NotBefore)}, this host reads {Format(now)}: {Gap(gap)} early, within the clock-skew tolerance of {Gap(Options.ClockSkewTolerance)}; this host's clock may lag: check the clock.")
            : new(FindingIds.NotYetValid, FindingSeverity.Critical,
                $"Not valid until {Format(facts.NotBefore)} ({Days(gap)} from now; this host reads {Format(now)}, {Gap(gap)} early, beyond the clock-skew tolerance of {Gap(Options.ClockSkewTolerance)}).");
    }

    private void AddChainMemberValidity(CertificateFacts facts, DateTimeOffset now, List<Finding> findings)
    {
        if (now < facts.NotBefore)
        {
            findings.Add(NotYetValid(facts, now));
            return;
        }

        var remaining = facts.NotAfter - now;
        if (remaining <= TimeSpan.Zero)
        {
            findings.Add(new(FindingIds.IntermediateExpired, FindingSeverity.Critical, $"This chain certificate expired on {Format(facts.NotAfter)}: the chain it belongs to no longer verifies."));
        }
        else if (remaining <= DegradedWindow(facts.Lifetime))
        {
            findings.Add(new(FindingIds.IntermediateExpiresSoon, FindingSeverity.Warning, $"This chain certificate expires on {Format(facts.NotAfter)}, in {Days(remaining)}; deploy the CA's current chain."));
        }
    }

    private void AddIntermediates(CertificateFacts facts, DateTimeOffset now, List<Finding> findings)
    {
        var chain = facts.Chain?.Elements.Skip(1) ?? facts.PresentedChain;
        foreach (var intermediate in chain.Where(c => !c.IsSelfSigned && c.ThumbprintSha256 != facts.ThumbprintSha256).DistinctBy(c => c.ThumbprintSha256))
        {
            var remaining = intermediate.NotAfter - now;
            if (remaining <= TimeSpan.Zero)
            {
                findings.Add(new(FindingIds.IntermediateExpired, FindingSeverity.Critical, $"Intermediate '{intermediate.Subject}' expired on {Format(intermediate.NotAfter)}."));
            }
            else if (remaining <= DegradedWindow(intermediate.NotAfter - intermediate.NotBefore))
            {
                findings.Add(new(FindingIds.IntermediateExpiresSoon, FindingSeverity.Warning, $"Intermediate '{intermediate.Subject}' expires on {Format(intermediate.NotAfter)}, in {Days(remaining)}."));
            }
        }
    }

    private void AddKeyAndSignature(CertificateFacts facts, List<Finding> findings)
    {
        var minimum = facts.KeyAlgorithm switch
        {
            "RSA" or "RSASSA-PSS" or "DSA" => Options.MinimumRsaKeySize,
            "ECDSA" => Options.MinimumEcKeySize,
            _ => 0,
        };
        if (facts.KeySize is { } size && size < minimum)
        {
            findings.Add(new(FindingIds.WeakKey, FindingSeverity.Warning, $"{facts.KeyAlgorithm} key of {size} bits is below the minimum of {minimum}."));
        }

        // A self-signed root's own signature is never checked by anyone, so its hash does not matter.
        var rootSignature = facts.IsSelfSigned && facts.IsCertificateAuthority;
        if (!rootSignature && facts.SignatureHashAlgorithm is { } hash && WeakHashes.Contains(hash))
        {
            findings.Add(new(FindingIds.WeakSignatureHash, FindingSeverity.Warning, $"Signed with {facts.SignatureAlgorithm}: {hash.ToUpperInvariant()} is broken; reissue with SHA-256 or better."));
        }
    }

    private void AddUsage(CertificateFacts facts, List<Finding> findings)
    {
        var served = facts.Connection is not null;
        var serverAuth = facts.ExtendedKeyUsages.Contains("serverAuth");
        if (!facts.IsCertificateAuthority && facts.Lifetime > Options.MaximumValidity)
        {
            findings.Add(new(FindingIds.LongValidity, FindingSeverity.Warning, $"Valid for {(int)facts.Lifetime.TotalDays} days, longer than the maximum of {(int)Options.MaximumValidity.TotalDays}."));
        }

        if (!facts.IsCertificateAuthority && (served || serverAuth)
            && !facts.SubjectAlternativeNames.Any(n => n.Kind is SubjectAlternativeNameKind.Dns or SubjectAlternativeNameKind.IPAddress))
        {
            findings.Add(new(FindingIds.MissingSan, FindingSeverity.Warning, "A TLS server certificate without a DNS or IP subject alternative name: clients ignore the common name."));
        }

        if (facts.Connection is { HostNameMatches: false } connection)
        {
            findings.Add(new(FindingIds.HostnameMismatch, FindingSeverity.Critical, $"Not valid for '{connection.ServerName}' (names: {DescribeNames(facts)})."));
        }

        if (facts.IsSelfSigned && (!facts.IsCertificateAuthority || served || facts.HasPrivateKey))
        {
            findings.Add(new(FindingIds.SelfSigned, FindingSeverity.Info, "Self-signed: clients trust it only if told to."));
        }

        if (facts.IsCertificateAuthority && (served || serverAuth))
        {
            findings.Add(new(FindingIds.LeafIsCa, FindingSeverity.Warning, "A CA certificate is used as a TLS leaf; issue a leaf certificate with CA:false."));
        }
    }

    /// <summary>
    /// Deployed TLS keys are unencrypted by design (certbot, Kubernetes, cert-manager): the file's permissions are their
    /// protection, so only a key others can read is a problem, and a code-signing key is always one.
    /// </summary>
    private static void AddPrivateKey(CertificateFacts facts, List<Finding> findings)
    {
        if (facts.PrivateKeyProtection != PrivateKeyProtection.Unencrypted)
        {
            return;
        }

        const UnixFileMode OthersRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var mode = facts.PrivateKeyFileMode is { } known ? $" (mode {Octal(known)})" : string.Empty;
        if (facts.ExtendedKeyUsages.Contains("codeSigning"))
        {
            findings.Add(new(FindingIds.UnprotectedPrivateKey, FindingSeverity.Critical,
                $"A code-signing private key is stored unencrypted{mode}: anyone who reads the file can sign as you. Keep it in a key vault, an HSM or an encrypted PFX."));
        }
        else if (facts.PrivateKeyFileMode is { } exposed && (exposed & OthersRead) != 0)
        {
            var who = (exposed & OthersRead) == OthersRead ? "its group and all other users" : (exposed & UnixFileMode.GroupRead) != 0 ? "its group" : "all other users";
            findings.Add(new(FindingIds.UnprotectedPrivateKey, FindingSeverity.Warning,
                $"The private key is stored unencrypted and {who} can read its file{mode}; run chmod 600 on it so only its owner can."));
        }
        else
        {
            findings.Add(new(FindingIds.UnprotectedPrivateKey, FindingSeverity.Info, facts.PrivateKeyFileMode is null
                ? "The private key is stored unencrypted; who can read it is not known here: make sure only the service's account can."
                : $"The private key is stored unencrypted, readable only by its file's owner{mode}: the usual way to deploy a TLS key."));
        }
    }

    private void AddChain(CertificateFacts facts, List<Finding> findings)
    {
        if (facts.Chain is not { IsTrusted: false } chain)
        {
            return;
        }

        var severity = Options.RequireTrustedChain ? FindingSeverity.Critical : FindingSeverity.Warning;
        var partial = chain.Problems.Any(p => p.Contains("PartialChain", StringComparison.Ordinal));
        findings.Add(partial
            ? new(FindingIds.IncompleteChain, severity, $"The chain cannot be built to a root: an intermediate is missing ({string.Join(", ", chain.Problems)}).")
            : new(FindingIds.UntrustedChain, severity, $"The chain is not trusted ({string.Join(", ", chain.Problems)})."));
    }

    private static void AddRevocation(CertificateFacts facts, DateTimeOffset now, List<Finding> findings)
    {
        if (facts.Revocation is not { } revocation)
        {
            return;
        }

        switch (revocation.Status)
        {
            case RevocationStatus.Revoked:
                var when = revocation.RevokedAt is { } at ? $" on {Format(at)}" : string.Empty;
                var reason = revocation.RevocationReason is { } r ? $" ({r})" : string.Empty;
                findings.Add(new(FindingIds.Revoked, FindingSeverity.Critical, $"Revoked{when}{reason}, according to {revocation.Source ?? "the issuer"}."));
                break;
            case RevocationStatus.Unknown:
                var why = revocation.Problems.Count > 0 ? string.Join("; ", revocation.Problems) : "no responder gave an answer";
                findings.Add(new(FindingIds.RevocationUnknown, FindingSeverity.Warning, $"Revocation status unknown: {why}."));
                break;
        }

        if (revocation.IsStale || (revocation.NextUpdate is { } next && next < now && revocation.Source?.StartsWith("crl", StringComparison.OrdinalIgnoreCase) == true))
        {
            findings.Add(new(FindingIds.CrlStale, FindingSeverity.Warning, $"The CRL from {revocation.Source} is past its next update ({(revocation.NextUpdate is { } n ? Format(n) : "unknown")})."));
        }
    }

    private void AddDrift(CertificateFacts facts, DateTimeOffset now, List<Finding> findings)
    {
        if (facts.ConfiguredCertificate is not { } configured
            || string.Equals(configured.ThumbprintSha256, facts.ThumbprintSha256, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // The served certificate is the one clients meet: drift is an outage only once that one can no longer serve.
        var remaining = facts.NotAfter - now;
        var cannotServe = now + Options.ClockSkewTolerance < facts.NotBefore || remaining <= TimeSpan.Zero || remaining <= UnhealthyWindow(facts.Lifetime);
        findings.Add(new(FindingIds.ServedCertificateDrift, cannotServe ? FindingSeverity.Critical : FindingSeverity.Warning,
            $"Serves {facts.ThumbprintSha256} (expires {Format(facts.NotAfter)}) but is configured with {configured.ThumbprintSha256} "
            + $"(expires {Format(configured.NotAfter)}): the configured certificate was not loaded. Reload or restart the server."));
    }

    private static string DescribeNames(CertificateFacts facts) =>
        facts.SubjectAlternativeNames.Count == 0 ? $"CN={facts.SubjectCommonName}" : string.Join(", ", facts.SubjectAlternativeNames);

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8).PadLeft(3, '0');

    /// <summary>A short span to the second, rounded up: <c>2 min 48 s</c>, <c>5 min</c>, <c>1 h 0 min 12 s</c>, <c>0 s</c>.</summary>
    private static string Gap(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(span.TotalSeconds);
        var (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        var text = hours > 0 ? $"{hours} h {minutes} min" : minutes > 0 ? $"{minutes} min" : string.Empty;
        return rest > 0 || text.Length == 0 ? $"{text} {rest} s".TrimStart() : text;
    }

    private static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        return days switch
        {
            0 => $"{Math.Max(1, (int)Math.Ceiling(span.TotalHours))} hour(s)",
            1 => "1 day",
            _ => $"{days} days",
        };
    }
}
