using CertGuard.Sources;

namespace CertGuard.Monitoring;

/// <summary>A source the monitor refreshes, and the health check that reports it.</summary>
/// <param name="Source">The source.</param>
/// <param name="CheckName">The name of the health check registration that reports this source.</param>
public sealed record MonitoredSource(CertificateSource Source, string CheckName);
