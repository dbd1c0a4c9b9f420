namespace CertGuard.Cli;

/// <summary>The tool's exit codes, a contract for CI pipelines.</summary>
internal static class ExitCodes
{
    /// <summary>No certificate (or load error) at or above the <c>--fail-on</c> level.</summary>
    public const int Success = 0;

    /// <summary>At least one certificate (or load error) at or above the <c>--fail-on</c> level.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong; the message on standard error says how.</summary>
    public const int UsageError = 2;

    /// <summary>certguard itself failed (a bug): distinct from 1 so a crash never reads as a failing certificate.</summary>
    public const int InternalError = 70;
}
