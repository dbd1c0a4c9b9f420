using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CertGuard.SecretsTests;

/// <summary>
/// Every secret the test used (passwords, private keys), in every form it could take in an output, and the search
/// for them. Passwords are searched as text (any case), base64 and hex, and as UTF-8 and UTF-16 bytes. Private keys
/// are searched as their PKCS#8 and traditional DER in base64, hex and raw bytes, as each PEM body line, and as
/// their private components (the private exponent and primes of RSA, the private scalar of EC) in hex, base64,
/// decimal and raw bytes, including any run of <see cref="FragmentBytes"/> bytes of a component at any offset.
/// Text is searched as written and again with JSON and HTML escapes undone. A form that also occurs in public data
/// (the public key, which every certificate holds) is not a secret and is left out, so printing a certificate is never a false hit.
/// </summary>
internal sealed partial class SecretOracle
{
    /// <summary>The shortest fragment of a private component that counts: 18 bytes, 24 base64 or 36 hex characters.</summary>
    public const int FragmentBytes = 18;

    /// <summary>Shorter text forms are trivial fragments that could occur by chance.</summary>
    private const int MinimumTextLength = 16;

    private const int Base64Window = FragmentBytes / 3 * 4;
    private const int HexWindow = FragmentBytes * 2;

    private readonly List<TextForm> _textForms = [];
    private readonly List<ByteForm> _byteForms = [];
    private readonly Dictionary<string, string> _hexFragments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _base64Fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<(byte[] Window, string Secret)>> _byteFragments = [];

    /// <summary>How many secrets were added.</summary>
    public int SecretCount { get; private set; }

    /// <summary>How many exact forms (text and bytes) are searched, besides the fragment windows.</summary>
    public int FormCount => _textForms.Count + _byteForms.Count;

    /// <summary>How many fragment windows (hex, base64 and raw) of private components are searched.</summary>
    public int FragmentCount => _hexFragments.Count + _base64Fragments.Count + _byteFragments.Values.Sum(l => l.Count);

    public void AddPassword(string name, string password)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(password.Length, MinimumTextLength, nameof(password));
        SecretCount++;
        var secret = $"password '{name}'";
        var utf8 = Encoding.UTF8.GetBytes(password);
        _textForms.Add(new TextForm(secret, "text", password, StringComparison.OrdinalIgnoreCase));
        AddTextForm(secret, "base64 of UTF-8", Convert.ToBase64String(utf8));
        AddTextForm(secret, "hex of UTF-8", Convert.ToHexString(utf8));
        AddTextForm(secret, "hex of UTF-8", Convert.ToHexStringLower(utf8));
        _byteForms.Add(new ByteForm(secret, "UTF-8 bytes", utf8));
        _byteForms.Add(new ByteForm(secret, "UTF-16 bytes", Encoding.Unicode.GetBytes(password)));
    }

    /// <param name="name">What to call the key in a failure.</param>
    /// <param name="key">The private key (exportable).</param>
    public void AddPrivateKey(string name, AsymmetricAlgorithm key)
    {
        // The public key (modulus, public point) is in every certificate and may be printed: it is no secret.
        var publicData = key.ExportSubjectPublicKeyInfo();
        SecretCount++;
        var secret = $"private key '{name}'";
        var (traditional, traditionalLabel, components) = key switch
        {
            RSA rsa => (rsa.ExportRSAPrivateKey(), "RSA PRIVATE KEY", RsaComponents(rsa.ExportParameters(includePrivateParameters: true))),
            ECDsa ec => (ec.ExportECPrivateKey(), "EC PRIVATE KEY", EcComponents(ec.ExportParameters(includePrivateParameters: true))),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };

        foreach (var (label, der) in new[] { ("PRIVATE KEY", key.ExportPkcs8PrivateKey()), (traditionalLabel, traditional) })
        {
            var kind = label == "PRIVATE KEY" ? "PKCS#8 DER" : $"{traditionalLabel} DER";
            AddTextForm(secret, $"base64 of the {kind}", Convert.ToBase64String(der));
            AddTextForm(secret, $"hex of the {kind}", Convert.ToHexString(der));
            AddTextForm(secret, $"hex of the {kind}", Convert.ToHexStringLower(der));
            _byteForms.Add(new ByteForm(secret, $"raw {kind}", der));
            foreach (var line in new string(PemEncoding.Write(label, der)).Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                // A line that only encodes public bytes (part of the modulus or the public point) is no secret.
                if (publicData.AsSpan().IndexOf(Convert.FromBase64String(line)) >= 0)
                {
                    continue;
                }

                AddTextForm(secret, $"a PEM line of the {kind}", line);
            }
        }

        foreach (var (component, bytes) in components)
        {
            var what = $"{component} of {secret}";
            AddTextForm(what, "hex", Convert.ToHexString(bytes));
            AddTextForm(what, "hex", Convert.ToHexStringLower(bytes));
            AddTextForm(what, "base64", Convert.ToBase64String(bytes));
            AddTextForm(what, "decimal", new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _byteForms.Add(new ByteForm(what, "raw bytes", bytes));
            AddFragments(what, bytes);
        }
    }

    /// <summary>Every secret form found in one output; empty when it holds none.</summary>
    public IReadOnlyList<SecretHit> Search(CapturedOutput output)
    {
        var hits = new List<SecretHit>();
        var text = output.Text;
        var unescaped = Unescape(text);
        foreach (var variant in unescaped == text ? [text] : new[] { text, unescaped })
        {
            foreach (var form in _textForms)
            {
                if (variant.Contains(form.Value, form.Comparison))
                {
                    hits.Add(new SecretHit(output.Name, form.Secret, form.Kind, form.Value));
                }
            }

            SearchFragments(output.Name, variant, hits);
        }

        var bytes = output.Bytes;
        foreach (var form in _byteForms)
        {
            if (bytes.AsSpan().IndexOf(form.Value) >= 0)
            {
                hits.Add(new SecretHit(output.Name, form.Secret, form.Kind, Convert.ToHexString(form.Value)));
            }
        }

        for (var i = 0; i + FragmentBytes <= bytes.Length; i++)
        {
            if (_byteFragments.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i)), out var candidates))
            {
                foreach (var (window, secret) in candidates.Where(c => bytes.AsSpan(i, FragmentBytes).SequenceEqual(c.Window)))
                {
                    hits.Add(new SecretHit(output.Name, secret, $"{FragmentBytes} raw bytes", Convert.ToHexString(window)));
                }
            }
        }

        return hits.DistinctBy(h => (h.Secret, h.Form)).ToList();
    }

    private void SearchFragments(string outputName, string text, List<SecretHit> hits)
    {
        foreach (Match run in HexRun().Matches(text))
        {
            var upper = run.Value.ToUpperInvariant();
            for (var i = 0; i + HexWindow <= upper.Length; i++)
            {
                if (_hexFragments.TryGetValue(upper.Substring(i, HexWindow), out var secret))
                {
                    hits.Add(new SecretHit(outputName, secret, $"hex of {FragmentBytes} bytes", upper.Substring(i, HexWindow)));
                    break;
                }
            }
        }

        foreach (Match run in Base64Run().Matches(text))
        {
            for (var i = 0; i + Base64Window <= run.Length; i++)
            {
                if (_base64Fragments.TryGetValue(run.Value.Substring(i, Base64Window), out var secret))
                {
                    hits.Add(new SecretHit(outputName, secret, $"base64 of {FragmentBytes} bytes", run.Value.Substring(i, Base64Window)));
                    break;
                }
            }
        }
    }

    private void AddFragments(string secret, byte[] component)
    {
        for (var i = 0; i + FragmentBytes <= component.Length; i++)
        {
            var window = component.AsSpan(i, FragmentBytes).ToArray();
            _hexFragments.TryAdd(Convert.ToHexString(window), secret);
            var key = BinaryPrimitives.ReadUInt64LittleEndian(window);
            if (!_byteFragments.TryGetValue(key, out var list))
            {
                _byteFragments[key] = list = [];
            }

            list.Add((window, secret));
        }

        // Base64 of the component at each of the three byte alignments, cut into windows at quantum boundaries:
        // any base64 text that encodes FragmentBytes + 3 or more consecutive bytes of the component contains one.
        for (var alignment = 0; alignment < 3; alignment++)
        {
            var encoded = Convert.ToBase64String(component, alignment, component.Length - alignment).TrimEnd('=');
            for (var i = 0; i + Base64Window <= encoded.Length - 4; i += 4)
            {
                _base64Fragments.TryAdd(encoded.Substring(i, Base64Window), secret);
            }
        }
    }

    private void AddTextForm(string secret, string kind, string value)
    {
        if (value.Length >= MinimumTextLength)
        {
            _textForms.Add(new TextForm(secret, kind, value, StringComparison.Ordinal));
        }
    }

    /// <summary>Undoes JSON (<c>\u002B</c>, <c>\/</c>) and HTML (<c>&amp;#43;</c>) escapes, so an escaped secret is still found.</summary>
    private static string Unescape(string text)
    {
        var json = JsonEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()).Replace("\\/", "/", StringComparison.Ordinal);
        return WebUtility.HtmlDecode(json);
    }

    private static IEnumerable<(string, byte[])> RsaComponents(RSAParameters key) =>
    [
        ("the private exponent", key.D!), ("the prime p", key.P!), ("the prime q", key.Q!),
        ("the exponent dp", key.DP!), ("the exponent dq", key.DQ!), ("the coefficient", key.InverseQ!),
    ];

    private static IEnumerable<(string, byte[])> EcComponents(ECParameters key) => [("the private scalar", key.D!)];

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})")]
    private static partial Regex JsonEscape();

    [GeneratedRegex("[0-9A-Fa-f]{36,}")]
    private static partial Regex HexRun();

    [GeneratedRegex("[A-Za-z0-9+/]{24,}")]
    private static partial Regex Base64Run();

    private sealed record TextForm(string Secret, string Kind, string Value, StringComparison Comparison);

    private sealed record ByteForm(string Secret, string Kind, byte[] Value);
}
