namespace CertGuard.Tests.Fuzzing;

/// <summary>A fact that runs only when CERTGUARD_FUZZ_REPLAY names an input to replay, as <c>format:index</c>.</summary>
internal sealed class ReplayFactAttribute : FactAttribute
{
    public static readonly (string Format, int Index)? Target = Parse(Environment.GetEnvironmentVariable("CERTGUARD_FUZZ_REPLAY"));

    public ReplayFactAttribute()
    {
        if (Target is null)
        {
            Skip = "set CERTGUARD_FUZZ_REPLAY=format:index to replay a fuzz input";
        }
    }

    private static (string, int)? Parse(string? value) =>
        value?.Split(':') is [var format, var index] && int.TryParse(index, out var i) ? (format, i) : null;
}
