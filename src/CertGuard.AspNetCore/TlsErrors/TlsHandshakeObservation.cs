namespace CertGuard.AspNetCore.TlsErrors;

/// <summary>What one connection's TLS handshake showed, filled in by the callbacks as it goes.</summary>
internal sealed class TlsHandshakeObservation
{
    public bool ClientHelloReceived { get; set; }

    public bool Completed { get; set; }

    public string? ServerName { get; set; }

    public TlsHandshakeFailureReason? Reason { get; set; }
}
