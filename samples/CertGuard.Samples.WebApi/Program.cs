using CertGuard.AspNetCore.HealthChecks;
using CertGuard.AspNetCore.Reload;
using CertGuard.Monitoring;
using CertGuard.Samples.WebApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

var builder = WebApplication.CreateBuilder(args);

// The three lines that matter: watch the certificates listed under "CertGuard" in configuration.
builder.Services.AddHealthChecks()
    .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
    .AddCertGuard(builder.Configuration.GetSection("CertGuard"), tags: ["ready"])
    .AddKestrelCertificates(tags: ["ready"]);

// Serve Kestrel:Certificates:Default (Path and KeyPath, e.g. Kestrel__Certificates__Default__Path) through the safe
// reloader: a renewed file is served without a restart, and a broken one never replaces the working certificate.
if (builder.Configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 } certificatePath)
{
    builder.Services.AddServerCertificateReloader(reloader => reloader.Add(
        certificatePath, builder.Configuration["Kestrel:Certificates:Default:KeyPath"], builder.Configuration["Kestrel:Certificates:Default:Password"]));
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        // One owner for the certificate: the reloader. Kestrel's own reload of the same files would log "Unable to
        // reload configuration" (crit) on every bad replacement the reloader has already refused.
        kestrel.Configure(builder.Configuration.GetSection("Kestrel"), reloadOnChange: false);
        kestrel.ConfigureHttpsDefaults(https =>
            https.UseReloadingCertificate(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>()));
    });
}

// With no certificates configured, mint a demo set so a first run shows something real.
builder.Services.AddSingleton<IConfigureOptions<CertificateMonitorOptions>, DemoCertificates>();

builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(CertificateMonitor.MeterName)
    .AddPrometheusExporter());

var app = builder.Build();

// The .NET service-defaults convention: /alive for liveness (no certificate checks), /health for readiness.
app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
app.MapHealthChecks("/health");
app.MapHealthChecks("/health/details", new HealthCheckOptions { ResponseWriter = HealthReportJsonWriter.WriteAsync });
app.MapPrometheusScrapingEndpoint();
app.MapGet("/", () => Results.Text("CertGuard sample: see /alive, /health, /health/details and /metrics.\n"));

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
