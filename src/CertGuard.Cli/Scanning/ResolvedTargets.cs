using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>The sources the targets name, in the order given, and the targets that name nothing.</summary>
/// <param name="Sources">One source per file, store or endpoint.</param>
/// <param name="Errors">Targets that could not be resolved (a glob matching nothing).</param>
internal sealed record ResolvedTargets(IReadOnlyList<CertificateSource> Sources, IReadOnlyList<InventoryError> Errors);
