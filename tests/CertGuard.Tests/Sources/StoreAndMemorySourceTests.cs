using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Tests.Sources;

public sealed class StoreAndMemorySourceTests
{
    [Fact]
    public async Task Store_that_does_not_exist_is_a_clear_error()
    {
        var source = new StoreCertificateSource("CertGuardNoSuchStore" + Guid.NewGuid().ToString("N"), StoreLocation.CurrentUser);

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.NotFound, error.Reason);
        Assert.StartsWith("store:CurrentUser/CertGuardNoSuchStore", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_lookup_by_thumbprint_finds_the_certificate_by_sha1_or_sha256()
    {
        var storeName = "CertGuardTest" + Guid.NewGuid().ToString("N")[..8];
        using var certificate = TestCertificates.Create("CN=in-store");
        using (var store = new X509Store(storeName, StoreLocation.CurrentUser))
        {
            store.Open(OpenFlags.ReadWrite);
            store.Add(certificate);
        }

        try
        {
            var sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
            foreach (var thumbprint in new[] { certificate.Thumbprint, sha256.ToLowerInvariant() })
            {
                using var found = await new StoreCertificateSource(storeName, StoreLocation.CurrentUser, thumbprint).LoadAsync(CancellationToken.None);
                var loaded = Assert.Single(found.Certificates);
                Assert.Equal(certificate.Thumbprint, loaded.Certificate.Thumbprint);
                Assert.Equal(CertificateFormat.Store, loaded.Format);
            }

            using var missing = await new StoreCertificateSource(storeName, StoreLocation.CurrentUser, subject: "CN=nobody").LoadAsync(CancellationToken.None);
            Assert.Equal(LoadErrorReason.NotFound, Assert.Single(missing.Errors).Reason);
            Assert.Contains("subject 'CN=nobody'", missing.Errors[0].Message);
        }
        finally
        {
            using var store = new X509Store(storeName, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            store.Remove(certificate);
        }
    }

    [Fact]
    public async Task In_memory_source_sees_a_rotated_certificate_and_never_disposes_the_applications_copy()
    {
        using var first = TestCertificates.Create("CN=first");
        using var second = TestCertificates.Create("CN=second");
        var current = first;
        var source = new InMemoryCertificateSource(() => current, "client-certificate");

        using (var result = await source.LoadAsync(CancellationToken.None))
        {
            Assert.Equal("CN=first", Assert.Single(result.Certificates).Certificate.Subject);
            Assert.Equal(PrivateKeyProtection.Unknown, result.Certificates[0].PrivateKeyProtection);
        }

        current = second;
        using (var result = await source.LoadAsync(CancellationToken.None))
        {
            Assert.Equal("CN=second", Assert.Single(result.Certificates).Certificate.Subject);
        }

        Assert.Equal("CN=first", first.Subject);
        Assert.NotNull(first.GetCertHash());
    }

    [Fact]
    public async Task In_memory_source_with_no_certificate_says_so()
    {
        using var result = await new InMemoryCertificateSource(() => null, "unset").LoadAsync(CancellationToken.None);
        Assert.Equal(LoadErrorReason.NotFound, Assert.Single(result.Errors).Reason);
    }
}
