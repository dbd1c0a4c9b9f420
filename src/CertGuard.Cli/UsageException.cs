namespace CertGuard.Cli;

/// <summary>A command line that parses but cannot be acted on (a missing password file, an invalid store name).</summary>
internal sealed class UsageException(string message) : Exception(message);
