using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>The sample in memory, optionally watching one configured certificate instead of the demo set.</summary>
internal static class SampleHost
{
    public static WebApplicationFactory<Program> Create(string? certificatePath = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            if (certificatePath is not null)
            {
                builder.UseSetting("CertGuard:Certificates:0:Path", certificatePath);
                builder.UseSetting("CertGuard:Certificates:0:Name", "configured");
            }
        });

    /// <summary>Polls until <paramref name="condition"/> holds; the timeout is only a hang guard.</summary>
    public static async Task<string> GetUntilAsync(HttpClient client, string path, Func<HttpResponseMessage, string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (condition(response, body))
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} never met the condition; last answer {(int)response.StatusCode}: {body}");
            }

            await Task.Delay(50);
        }
    }

    public static string WritePem(string directory, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var path = Path.Combine(directory, commonName + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
