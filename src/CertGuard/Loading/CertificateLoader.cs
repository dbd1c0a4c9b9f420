namespace CertGuard.Loading;

/// <summary>
/// Turns bytes into certificates. The format is told from the content, never from a file name: PEM (any number
/// of blocks, with or without keys), DER, PKCS#12/PFX, PKCS#7/P7B (DER or PEM) and Java keystores (JKS).
/// Loading never throws for bad content: every failure is a <see cref="LoadError"/> naming the location and the reason.
/// </summary>
public static class CertificateLoader
{
    /// <summary>Loads every certificate in a file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Passwords, a separate key file and the size limit; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the load (a source's timeout): between chunks read, PEM blocks and PKCS#12 passwords.</param>
    /// <returns>The certificates found and the reasons for anything that could not be loaded.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static CertificateLoadResult LoadFile(string path, CertificateLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return LoadFile(path, nativePath: null, options, cancellationToken);
    }

    /// <summary>Loads every certificate in a file whose name the kernel knows by <paramref name="nativePath"/> (not valid UTF-8).</summary>
    internal static CertificateLoadResult LoadFile(string path, byte[]? nativePath, CertificateLoadOptions? options, CancellationToken cancellationToken)
    {
        options ??= CertificateLoadOptions.Default;
        var content = FileContent.Read(path, options.MaxSize, cancellationToken, nativePath);
        if (content.Error is not null)
        {
            return new CertificateLoadResult([], [content.Error]);
        }

        var result = Load(content.Data!, path, options, cancellationToken);
        RecordKeyFileMode(result, path);
        if (options.KeyPath is null)
        {
            return result;
        }

        // Keys taken from the key file replace the certificates' entries, so only they lack a file mode now.
        result = AttachKeyFile(result, options.KeyPath, options.MaxSize, cancellationToken);
        RecordKeyFileMode(result, options.KeyPath);
        return result;
    }

    /// <summary>Loads every certificate in a run of bytes.</summary>
    /// <param name="data">The content.</param>
    /// <param name="location">What to call the content in results and errors (a file name, a URL).</param>
    /// <param name="options">Passwords and the size limit; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the load between PEM blocks and PKCS#12 passwords.</param>
    /// <returns>The certificates found and the reasons for anything that could not be loaded.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static CertificateLoadResult Load(byte[] data, string location, CertificateLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(location);
        options ??= CertificateLoadOptions.Default;

        if (data.LongLength > options.MaxSize)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.TooLarge, $"{data.LongLength} bytes is over the {options.MaxSize}-byte limit");
        }

        try
        {
            return LoadDetected(data, location, options, allowBase64: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            // The boundary: no parser fault, however unexpected, escapes as an exception.
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"cannot be read ({ex.GetType().Name})");
        }
    }

    private static CertificateLoadResult LoadDetected(byte[] data, string location, CertificateLoadOptions options, bool allowBase64, CancellationToken cancellationToken)
    {
        switch (ContentSniffer.Detect(data))
        {
            case ContentKind.Empty:
                return CertificateLoadResult.Failed(location, LoadErrorReason.Empty, "is empty");
            case ContentKind.Pem:
                return PemContentReader.Read(data, location, options, cancellationToken);
            case ContentKind.DerCertificate:
                var certificate = DerCertificateDecoder.TryRead(data, out var problem);
                return certificate is null
                    ? CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, problem!)
                    : new CertificateLoadResult([new LoadedCertificate(certificate, location, CertificateFormat.Der)], []);
            case ContentKind.Pkcs12:
                return Pkcs12ContentReader.Read(data, location, options, cancellationToken);
            case ContentKind.Pkcs7:
                return Pkcs7ContentReader.Read(data, location, CertificateFormat.Pkcs7);
            case ContentKind.JavaKeyStore:
                return JavaKeyStoreContentReader.Read(data, location, options);
            case ContentKind.JavaCryptographyExtensionKeyStore:
                return CertificateLoadResult.Failed(location, LoadErrorReason.UnsupportedFormat, "is a JCEKS keystore, which CertGuard does not read; convert it to PKCS#12 with keytool -importkeystore");
            case ContentKind.TruncatedAsn1:
                return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, "is DER whose lengths run past the end of the data (truncated?)");
            case ContentKind.Base64 when allowBase64 && TryDecodeBase64(data, out var decoded):
                var inner = LoadDetected(decoded, location, options, allowBase64: false, cancellationToken);
                return inner.Certificates.Count > 0 ? inner : CertificateLoadResult.Failed(location, LoadErrorReason.UnrecognizedFormat, "is base64 text that does not decode to a certificate");
            default:
                return CertificateLoadResult.Failed(location, LoadErrorReason.UnrecognizedFormat, "is not PEM, DER, PKCS#12, PKCS#7 or a Java keystore");
        }
    }

    private static bool TryDecodeBase64(byte[] data, out byte[] decoded)
    {
        var text = System.Text.Encoding.ASCII.GetString(ContentSniffer.TrimText(data));
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        decoded = new byte[compact.Length];
        if (Convert.TryFromBase64String(compact, decoded, out var written))
        {
            decoded = decoded[..written];
            return written > 0;
        }

        return false;
    }

    /// <summary>Records who may read the file an unencrypted key came from: the policy's measure of how exposed the key is.</summary>
    private static void RecordKeyFileMode(CertificateLoadResult result, string keyFile)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode? mode = null;
        foreach (var certificate in result.Certificates.Where(c => c.PrivateKeyProtection == PrivateKeyProtection.Unencrypted && c.PrivateKeyFileMode is null))
        {
            try
            {
                // Follows links, as reading did: a Kubernetes tls.key link is judged by the file behind it.
                mode ??= File.GetUnixFileMode(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return;
            }

            certificate.PrivateKeyFileMode = mode;
        }
    }

    private static CertificateLoadResult AttachKeyFile(CertificateLoadResult result, string keyPath, long maxSize, CancellationToken cancellationToken)
    {
        var content = FileContent.Read(keyPath, maxSize, cancellationToken);
        if (content.Error is not null)
        {
            return new CertificateLoadResult(result.Certificates, [.. result.Errors, content.Error]);
        }

        var keys = PemReader.Read(content.Data, cancellationToken).Where(b => PemLabels.IsPrivateKey(b.Label)).ToList();
        if (keys.Count == 0)
        {
            return new CertificateLoadResult(result.Certificates, [.. result.Errors, new LoadError(keyPath, LoadErrorReason.UnrecognizedFormat, "holds no PEM private key")]);
        }

        return PrivateKeyMatcher.Assign(result, keys, keyPath);
    }
}
