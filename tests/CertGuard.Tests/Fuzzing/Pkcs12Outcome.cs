using System.Text.RegularExpressions;
using CertGuard.Loading;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// Names how far a resealed PKCS#12 input got: loaded, or rejected with which reason at which stage. The stage is read
/// from the loader's message, which differs per stage: the iteration guard and the structure pre-check run before the
/// MAC; everything else was reported after the MAC had been verified.
/// </summary>
internal static partial class Pkcs12Outcome
{
    public const string IterationGuard = "iteration guard, before the MAC";
    public const string PreCheck = "structure pre-check, before the MAC";
    public const string CatchAll = "exception reached the loader's catch-all";

    public static string Of(CertificateLoadResult result)
    {
        if (result.Certificates.Count > 0)
        {
            return result.Errors.Count == 0 ? "loaded" : $"loaded, with {result.Errors[0].Reason}";
        }

        var error = result.Errors[0];
        var stage = error.Message switch
        {
            var m when m.Contains("is refused", StringComparison.Ordinal) => IterationGuard,
            var m when m.StartsWith("not a valid PKCS#12", StringComparison.Ordinal) => PreCheck,
            var m when m.StartsWith("cannot be read (", StringComparison.Ordinal) => $"{CatchAll}: {m}",
            var m when m.StartsWith("the PKCS#12 archive cannot be read", StringComparison.Ordinal) => "after the MAC: " + Digits().Replace(Detail(m), "N"),
            var m => Digits().Replace(m, "N"),
        };
        return $"{error.Reason}: {stage}";
    }

    /// <summary>Whether an outcome shows the input was accepted by the MAC check and read on behind it.</summary>
    public static bool IsPastTheMac(string outcome) =>
        !outcome.Contains("before the MAC", StringComparison.Ordinal) && !outcome.Contains(nameof(LoadErrorReason.WrongPassword), StringComparison.Ordinal);

    private static string Detail(string message)
    {
        var open = message.IndexOf('(', StringComparison.Ordinal);
        var detail = open < 0 ? message : message[(open + 1)..].TrimEnd(')');
        return detail.Length > 60 ? detail[..60] + "..." : detail;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
