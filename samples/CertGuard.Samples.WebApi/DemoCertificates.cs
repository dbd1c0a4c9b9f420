using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Monitoring;
using CertGuard.Sources;
using Microsoft.Extensions.Options;

namespace CertGuard.Samples.WebApi;

/// <summary>
/// When <c>CertGuard:Certificates</c> is absent from configuration, mints two certificates into a temporary folder and watches it: one
/// healthy, one ten days from the end of a 90-day life (inside its min(30 d, 90 d / 3) warning window), so a first run
/// answers <c>Degraded</c> and names the certificate. Decided when options are built, after all configuration is in, from
/// the configuration keys themselves: an entry CertGuard refuses (a typo) still counts as configured, so the host fails
/// at start naming it instead of quietly watching the demo set. The folder is removed when the host shuts down (the
/// container disposes this singleton); a temporary directory that cannot take it (full, read-only, missing) stops
/// start-up with a message saying so and what to do.
/// </summary>
internal sealed partial class DemoCertificates(IConfiguration configuration, TimeProvider timeProvider, ILogger<DemoCertificates> logger)
    : IConfigureOptions<CertificateMonitorOptions>, IDisposable
{
    private readonly Lazy<string> _directory = new(() => Mint(timeProvider, logger));

    public void Dispose()
    {
        if (!_directory.IsValueCreated)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory.Value, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, _directory.Value, ex.Message);
        }
    }

    public void Configure(CertificateMonitorOptions options)
    {
        if (configuration.GetSection("CertGuard:Certificates").GetChildren().Any())
        {
            return;
        }

        // Options are built more than once (the start-up validation has its own copy): mint once, share the folder.
        var source = new DirectoryCertificateSource(_directory.Value, name: "demo") { Owner = "you" };
        options.Sources.Add(new MonitoredSource(source, CertGuardHealthChecksBuilderExtensions.DefaultName));
    }

    private static string Mint(TimeProvider timeProvider, ILogger logger)
    {
        string? directory = null;
        try
        {
            directory = Directory.CreateTempSubdirectory("certguard-demo-").FullName;
            var now = timeProvider.GetUtcNow();

            // Half a day of slack so the first report reads "in 10 days" rather than "in 9 days" a second after start.
            Write(directory, "healthy.pem", "healthy.demo.certguard", now.AddDays(-30), now.AddDays(60).AddHours(12));
            Write(directory, "expiring.pem", "expiring.demo.certguard", now.AddDays(-80), now.AddDays(10).AddHours(12));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (directory is not null)
            {
                TryDelete(directory);
            }

            // Said once, plainly, instead of a stack trace from deep inside options building.
            throw new InvalidOperationException(
                $"The CertGuard sample cannot write its demo certificates to the temporary directory '{Path.GetTempPath()}' ({ex.Message.TrimEnd('.')}). "
                + "Free space there, point TMPDIR at a writable directory, or configure CertGuard:Certificates to watch your own.", ex);
        }

        LogDemo(logger, directory);
        return directory;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Start-up is failing anyway; its reason is the message that matters.
        }
    }

    private static void Write(string directory, string fileName, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(Path.Combine(directory, fileName), certificate.ExportCertificatePem());
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "No CertGuard:Certificates configured: watching a demo set minted into {Directory} (one healthy, one expiring in 10 days)")]
    private static partial void LogDemo(ILogger logger, string directory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not remove the demo certificate folder {Directory} on shutdown ({Error})")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string error);
}
