using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>
/// A node inside its warning window for weeks, polled every few seconds, must not write a log line per poll: the
/// sample's appsettings.json silences ASP.NET Core's per-poll health log, and CertGuard logs the transition once.
/// </summary>
public sealed class PerPollLogTests : IDisposable
{
    private const string PerPollCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";
    private const int Polls = 25;
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-sample-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Polling_an_unhealthy_sample_logs_the_transition_once_and_nothing_per_poll()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-1));
        await using var factory = SampleHost.Create(expired).WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddLogging(logging => logging.AddFakeLogging())));
        using var client = factory.CreateClient();
        await SampleHost.GetUntilAsync(client, "/health", (response, _) => response.StatusCode == HttpStatusCode.ServiceUnavailable);
        var collector = factory.Services.GetFakeLogCollector();
        var warningsBefore = collector.GetSnapshot().Count(r => r.Level >= LogLevel.Warning);

        for (var i = 0; i < Polls; i++)
        {
            using var response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var records = collector.GetSnapshot();
        Assert.DoesNotContain(records, r => r.Category == PerPollCategory);
        Assert.Equal(warningsBefore, records.Count(r => r.Level >= LogLevel.Warning));
        var unhealthy = Assert.Single(records, r => r.Id.Id == 1002 && r.Message.Contains("CN=expired.example", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, unhealthy.Level);
    }
}
