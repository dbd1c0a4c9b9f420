namespace CertGuard.Loading;

/// <summary>Reads the certificates, bundles and keys of a PEM file.</summary>
internal static class PemContentReader
{
    /// <summary>At most this many damaged blocks are named one by one; the rest are counted in one more error.</summary>
    private const int NamedErrors = 20;

    public static CertificateLoadResult Read(ReadOnlySpan<byte> data, string location, CertificateLoadOptions options, CancellationToken cancellationToken = default)
    {
        var blocks = PemReader.Read(data, cancellationToken);
        var certificates = new List<LoadedCertificate>();
        var errors = new List<LoadError>();
        var keys = new List<PemBlock>();
        var certificateCount = blocks.Count(b => PemLabels.IsCertificate(b.Label));
        var index = 0;

        foreach (var block in blocks)
        {
            if (PemLabels.IsCertificate(block.Label))
            {
                index++;
                var entry = certificateCount > 1 ? $"{index}" : null;
                ReadCertificate(block, location, entry, certificates, errors);
            }
            else if (PemLabels.IsPkcs7(block.Label))
            {
                index++;
                var result = block.Data is null
                    ? CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, block.Problem!)
                    : Pkcs7ContentReader.Read(block.Data, location, CertificateFormat.Pem);
                certificates.AddRange(result.Certificates);
                errors.AddRange(result.Errors);
            }
            else if (PemLabels.IsPrivateKey(block.Label))
            {
                keys.Add(block);
            }
            else if (block.Data is null && block.Label == "?")
            {
                errors.Add(new LoadError(location, LoadErrorReason.Corrupt, block.Problem!));
            }
        }

        if (certificates.Count == 0 && errors.Count == 0)
        {
            return keys.Count > 0
                ? CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, "holds a private key but no certificate")
                : CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, $"holds no certificate (PEM blocks: {DescribeLabels(blocks)})");
        }

        if (errors.Count > NamedErrors)
        {
            // A hostile file can hold a hundred thousand damaged blocks; a report needs the first few and a count.
            var more = errors.Count - NamedErrors;
            errors = [.. errors.Take(NamedErrors), new LoadError(location, LoadErrorReason.Corrupt, $"and {more} more damaged PEM block(s)")];
        }

        var withChain = BundleChain.Attach(certificates);
        return PrivateKeyMatcher.Assign(new CertificateLoadResult(withChain, errors), keys, location);
    }

    private static void ReadCertificate(PemBlock block, string location, string? entry, List<LoadedCertificate> certificates, List<LoadError> errors)
    {
        var at = entry is null ? location : $"{location}#{entry}";
        if (block.Data is null)
        {
            errors.Add(new LoadError(at, LoadErrorReason.Corrupt, block.Problem!));
            return;
        }

        var der = block.Label == PemLabels.TrustedCertificate ? DerCertificateDecoder.FirstElement(block.Data) : block.Data;
        var certificate = DerCertificateDecoder.TryRead(der, out var problem);
        if (certificate is null)
        {
            errors.Add(new LoadError(at, LoadErrorReason.Corrupt, problem!));
            return;
        }

        certificates.Add(new LoadedCertificate(certificate, location, CertificateFormat.Pem) { Entry = entry });
    }

    private static string DescribeLabels(List<PemBlock> blocks) =>
        blocks.Count == 0 ? "none" : string.Join(", ", blocks.Select(b => b.Label).Distinct());
}
