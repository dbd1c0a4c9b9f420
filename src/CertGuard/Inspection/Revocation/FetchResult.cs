namespace CertGuard.Inspection.Revocation;

/// <summary>The body of a successful HTTP exchange, or why there is none.</summary>
internal sealed record FetchResult(byte[]? Body, string? Problem)
{
    public static FetchResult Success(byte[] body) => new(body, null);

    public static FetchResult Failure(string problem) => new(null, problem);
}
