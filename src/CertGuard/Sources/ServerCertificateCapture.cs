using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Sources;

/// <summary>
/// A certificate validation callback that accepts whatever the server presents and keeps copies of it: the endpoint
/// source observes, it does not trust; trust is judged later by inspection and policy.
/// </summary>
internal sealed class ServerCertificateCapture : IDisposable
{
    private bool _handedOver;

    /// <summary>A copy of the certificate the server presented, once the callback ran.</summary>
    public X509Certificate2? Leaf { get; private set; }

    /// <summary>Copies of the other certificates the server sent, in the order it sent them.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; private set; } = [];

    /// <summary>What the platform's default validation would have said.</summary>
    public SslPolicyErrors PolicyErrors { get; private set; }

    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        PolicyErrors = errors;
        if (certificate is null || Leaf is not null)
        {
            return true;
        }

        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var others = new List<X509Certificate2>();

        // The platform puts exactly what the peer sent into the chain's extra store (on Linux with the leaf first);
        // the chain's elements are not used: they are what the platform built, not what the server sent.
        if (chain is not null)
        {
            foreach (var sent in chain.ChainPolicy.ExtraStore)
            {
                if (!sent.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)
                    && !others.Any(o => o.RawDataMemory.Span.SequenceEqual(sent.RawDataMemory.Span)))
                {
                    others.Add(X509CertificateLoader.LoadCertificate(sent.RawDataMemory.Span));
                }
            }
        }

        Leaf = leaf;
        Chain = others;
        return true;
    }

    /// <summary>Hands the copies to a caller, who disposes them from now on.</summary>
    public void HandOver() => _handedOver = true;

    public void Dispose()
    {
        if (_handedOver)
        {
            return;
        }

        Leaf?.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
