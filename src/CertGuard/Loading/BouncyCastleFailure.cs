namespace CertGuard.Loading;

/// <summary>
/// BouncyCastle reports malformed input with a spread of exception types (IOException, ArgumentException,
/// InvalidCastException, ArithmeticException for out-of-range integers, and its own). This names the ones that mean
/// "bad bytes", so they become load errors.
/// </summary>
internal static class BouncyCastleFailure
{
    public static bool IsParseFailure(Exception ex) =>
        ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException
            or IndexOutOfRangeException or ArithmeticException or NullReferenceException or EndOfStreamException
            or Org.BouncyCastle.Security.GeneralSecurityException or Org.BouncyCastle.Crypto.CryptoException
            or Org.BouncyCastle.Asn1.Asn1Exception or Org.BouncyCastle.Security.Certificates.CertificateException
            or Org.BouncyCastle.Security.SecurityUtilityException
            // BouncyCastle throws a bare Exception for some unknown algorithms (Pkcs12Store: "Unknown encryption algorithm").
            || ex.GetType() == typeof(Exception);

    public static string Describe(Exception ex)
    {
        var message = ex.Message.Trim().TrimEnd('.');
        return message.Length == 0 ? ex.GetType().Name : message;
    }
}
