using System.Diagnostics.Metrics;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// <c>certguard_certificate_reloads</c> on the <c>CertGuard</c> meter: reload attempts by outcome (<c>reloaded</c>,
/// <c>rejected</c>) and, for rejections, the reason (a fixed set of kebab-case words).
/// </summary>
internal sealed class ReloadMetrics : IDisposable
{
    public const string MeterName = "CertGuard";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _reloads;

    public ReloadMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reloads = _meter.CreateCounter<long>("certguard_certificate_reloads", unit: null,
            description: "Server certificate reload attempts after a file changed, by outcome (reloaded, rejected) and rejection reason.");
    }

    public void Reloaded() => _reloads.Add(1, new("outcome", "reloaded"), new("reason", "none"));

    public void Rejected(ReloadRejectionReason reason) => _reloads.Add(1, new("outcome", "rejected"), new("reason", Label(reason)));

    public static string Label(ReloadRejectionReason reason) => reason switch
    {
        ReloadRejectionReason.Unreadable => "unreadable",
        ReloadRejectionReason.WrongPassword => "wrong-password",
        ReloadRejectionReason.KeyMismatch => "key-mismatch",
        ReloadRejectionReason.NoPrivateKey => "no-private-key",
        ReloadRejectionReason.UnsupportedFormat => "unsupported-format",
        ReloadRejectionReason.Expired => "expired",
        ReloadRejectionReason.NotYetValid => "not-yet-valid",
        ReloadRejectionReason.UntrustedChain => "untrusted-chain",
        _ => "other",
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
