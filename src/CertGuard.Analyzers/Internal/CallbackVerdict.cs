using System;

namespace CertGuard.Analyzers.Internal;

/// <summary>What a validation callback lets through, as found by <see cref="CallbackEvaluator"/>.</summary>
[Flags]
internal enum CallbackVerdict
{
    /// <summary>It decides on real evidence, or we cannot tell.</summary>
    None = 0,

    /// <summary>It accepts every certificate on every path (CG1003).</summary>
    AcceptsAnyCertificate = 1,

    /// <summary>It accepts an untrusted, expired or incomplete chain (CG1005).</summary>
    AcceptsChainErrors = 2,

    /// <summary>It accepts a certificate issued for another name (CG1005).</summary>
    AcceptsNameMismatch = 4,

    /// <summary>The acceptance above happens only under a condition that is not evidence (a mode, an allow-list).</summary>
    Conditional = 8,
}
