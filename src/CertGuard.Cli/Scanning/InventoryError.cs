using CertGuard.Loading;

namespace CertGuard.Cli.Scanning;

/// <summary>Something that was asked for but gave no certificate, and why.</summary>
/// <param name="Source">The file, entry, store or endpoint.</param>
/// <param name="Reason">Why.</param>
/// <param name="Message">What happened, in a sentence (never a password).</param>
/// <param name="Owner">The owner of the source, when known.</param>
/// <param name="IsFile">Whether the source is a file (rather than a store or an endpoint).</param>
internal sealed record InventoryError(string Source, LoadErrorReason Reason, string Message, string? Owner, bool IsFile = true);
