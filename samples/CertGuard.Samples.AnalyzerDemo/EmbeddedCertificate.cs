using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Samples.AnalyzerDemo;

/// <summary>CG1006 and CG1007: a certificate compiled into the program.</summary>
internal static class EmbeddedCertificate
{
    // Intentional demo fixture: a self-signed certificate that expired on 2001-01-01 (its subject says so).
    // It is expired on purpose so the demo never rots: CG1007 always reports it as expired, and no test
    // depends on its date. It has no private key and is trusted by nothing.
    private const string ExpiredFixturePem = """
        -----BEGIN CERTIFICATE-----
        MIIBaDCCAQ2gAwIBAgIJAPS5gSodWhOuMAoGCCqGSM49BAMCMDkxNzA1BgNVBAMT
        LkNlcnRHdWFyZCBkZW1vIGZpeHR1cmUgKGludGVudGlvbmFsbHkgZXhwaXJlZCkw
        HhcNMDAwMTAxMDAwMDAwWhcNMDEwMTAxMDAwMDAwWjA5MTcwNQYDVQQDEy5DZXJ0
        R3VhcmQgZGVtbyBmaXh0dXJlIChpbnRlbnRpb25hbGx5IGV4cGlyZWQpMFkwEwYH
        KoZIzj0CAQYIKoZIzj0DAQcDQgAEzmSXDuEC9yZ+AU08hYdDbQztqkV7ajcH4P6s
        OL0aFaGUe0O4E69/x9NRIhHzNGvbsV57F8rtq/1huyyG6W2tjDAKBggqhkjOPQQD
        AgNJADBGAiEA/OCYJKlbIJifvhM0PDgUfESuqLxvejhvH5xR303EQQoCIQDYG7he
        civ4EKptOkva1mQMtF0GO3hCPrwspc7BfmQKhg==
        -----END CERTIFICATE-----
        """;

    // CG1006 (embedded; the message gives its expiry date) and CG1007 (already expired).
    public static X509Certificate2 Load() => X509Certificate2.CreateFromPem(ExpiredFixturePem);
}
