using System.Net.Security;
using System.Security.Authentication;

namespace CertGuard.Sources;

/// <summary>What was learned from the TLS handshake a certificate was served on.</summary>
public sealed record TlsConnectionInfo
{
    /// <summary>The host that was connected to, as configured.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>The server name sent in the TLS SNI extension (defaults to <see cref="Host"/>).</summary>
    public required string ServerName { get; init; }

    /// <summary>The address actually connected to.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>The negotiated protocol.</summary>
    public SslProtocols Protocol { get; init; }

    /// <summary>The negotiated cipher suite.</summary>
    public TlsCipherSuite? CipherSuite { get; init; }

    /// <summary>Whether the served certificate is valid for <see cref="ServerName"/>.</summary>
    public bool HostNameMatches { get; init; }

    /// <summary>How long the connect and handshake took.</summary>
    public TimeSpan HandshakeDuration { get; init; }

    /// <summary>
    /// What the platform's default validation (system roots, host name) said about the connection: what a .NET client
    /// with default settings would have rejected it for. Informational; findings come from inspection and policy.
    /// </summary>
    public SslPolicyErrors PolicyErrors { get; init; }
}
