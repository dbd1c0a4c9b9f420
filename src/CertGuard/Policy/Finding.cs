namespace CertGuard.Policy;

/// <summary>An opinion about a certificate's facts.</summary>
/// <param name="Id">A stable kebab-case id (see <see cref="FindingIds"/>).</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">One line a person can act on.</param>
public sealed record Finding(string Id, FindingSeverity Severity, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Id}: {Message}";
}
