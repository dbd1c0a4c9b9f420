using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Tests.TestSupport;

/// <summary>A source that counts its loads and can be told to fail, throw or block.</summary>
internal sealed class CountingSource(string name, X509Certificate2? certificate, bool isRemote = false) : CertificateSource(name)
{
    private int _loads;
    private int _running;
    private int _maxRunning;

    public X509Certificate2? Certificate { get; set; } = certificate;

    public LoadError? Error { get; set; }

    public Exception? Throw { get; set; }

    /// <summary>When set, loads wait for this task (a black-holed host).</summary>
    public Task? Block { get; set; }

    public int Loads => Volatile.Read(ref _loads);

    public int MaxConcurrentLoads => Volatile.Read(ref _maxRunning);

    public override string Kind => "memory";

    public override string Location => $"test:{Name}";

    public override bool IsRemote => isRemote;

    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        try
        {
            if (Block is { } block)
            {
                await block.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (Throw is { } exception)
            {
                throw exception;
            }

            if (Error is { } error || Certificate is null)
            {
                return new CertificateLoadResult([], [Error ?? new LoadError(Location, LoadErrorReason.NotFound, "no certificate")]);
            }

            var copy = X509CertificateLoader.LoadCertificate(Certificate.RawData);
            return new CertificateLoadResult([new LoadedCertificate(copy, Location, CertificateFormat.Instance)], []);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
