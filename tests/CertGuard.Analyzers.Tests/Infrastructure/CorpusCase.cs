namespace CertGuard.Analyzers.Tests.Infrastructure;

/// <summary>One corpus case: the rule it must raise (null for a safe look-alike) and its source.</summary>
internal sealed record CorpusCase(string File, string Name, string? Expected, string Source);
