using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// A seed PFX opened down to its plaintext: the AuthenticatedSafe as a tree in which unencrypted SafeContents are
/// inner trees of their OCTET STRINGs, and encrypted SafeContents and shrouded keys are decrypted into inner trees
/// that are encrypted again (same algorithm, salt and IV) when the tree is written. <see cref="Reseal"/> puts a
/// (mutated) tree back into the PFX with a valid MAC.
/// </summary>
internal sealed class OpenedPfx
{
    private const string Data = "1.2.840.113549.1.7.1";
    private const string EncryptedData = "1.2.840.113549.1.7.6";
    private const string ShroudedKeyBag = "1.2.840.113549.1.12.10.1.2";
    private const string SafeContentsBag = "1.2.840.113549.1.12.10.1.6";

    private OpenedPfx(string name, string? password, PfxEnvelope envelope, DerNode authenticatedSafe, int encryptedParts)
    {
        Name = name;
        Password = password;
        Envelope = envelope;
        AuthenticatedSafe = authenticatedSafe;
        EncryptedParts = encryptedParts;
    }

    public string Name { get; }

    /// <summary>The password for the MAC and the encryption; <see langword="null"/> for the NULL password.</summary>
    public string? Password { get; }

    public PfxEnvelope Envelope { get; }

    /// <summary>The opened tree. Clone it before mutating.</summary>
    public DerNode AuthenticatedSafe { get; }

    /// <summary>How many ciphertexts were decrypted into inner trees.</summary>
    public int EncryptedParts { get; }

    /// <param name="name">What to call the seed in reports.</param>
    /// <param name="pfx">The seed.</param>
    /// <param name="password">Its password.</param>
    /// <param name="iterations">A lower iteration count for the MAC and every encryption, applied when re-sealing and
    /// re-encrypting (the seed keeps its shape, algorithms and salts), so a fuzz run spends its time in parsers rather
    /// than in KDFs; <see langword="null"/> keeps the seed's own counts.</param>
    public static OpenedPfx Open(string name, byte[] pfx, string? password, int? iterations = null)
    {
        var envelope = PfxEnvelope.Decode(pfx);
        if (envelope.Mac is { } mac && iterations < mac.Iterations)
        {
            envelope = envelope with { Mac = mac with { Iterations = iterations.Value } };
        }

        var tree = DerNode.Parse(envelope.AuthenticatedSafe);
        var decrypted = 0;
        foreach (var contentInfo in tree.Children ?? [])
        {
            if (contentInfo.Children is [var type, { Children: [var content] }] && type.HasTag(0x06))
            {
                var oid = Oid(type);
                if (oid == Data && content.HasTag(0x04) && DerNode.TryParse(content.Content) is { } safeContents)
                {
                    content.Inner = safeContents;
                    decrypted += OpenSafeContents(safeContents, password, iterations);
                }
                else if (oid == EncryptedData && content.Children is [_, { Children: [_, var algorithm, var ciphertext] }]
                    && OpenCiphertext(algorithm, ciphertext, password, iterations) is { } plaintext)
                {
                    decrypted += 1 + OpenSafeContents(plaintext, password, iterations);
                }
            }
        }

        return new OpenedPfx(name, password, envelope, tree, decrypted);
    }

    /// <summary>The PFX for a (mutated) AuthenticatedSafe tree, sealed with a valid MAC.</summary>
    public byte[] Reseal(DerNode authenticatedSafe) => Envelope.Seal(authenticatedSafe.Encode(), Password);

    /// <summary>The PFX for (mutated) AuthenticatedSafe bytes, sealed with a valid MAC.</summary>
    public byte[] Reseal(byte[] authenticatedSafe) => Envelope.Seal(authenticatedSafe, Password);

    private static int OpenSafeContents(DerNode safeContents, string? password, int? iterations)
    {
        var decrypted = 0;
        foreach (var bag in safeContents.Children ?? [])
        {
            if (bag.Children is not [var type, { Children: [var value] }, ..] || !type.HasTag(0x06))
            {
                continue;
            }

            var oid = Oid(type);
            if (oid == ShroudedKeyBag && value.Children is [var algorithm, var ciphertext] && OpenCiphertext(algorithm, ciphertext, password, iterations) is not null)
            {
                decrypted++;
            }
            else if (oid == SafeContentsBag)
            {
                decrypted += OpenSafeContents(value, password, iterations);
            }
        }

        return decrypted;
    }

    /// <summary>Decrypts a ciphertext node in place: its content becomes the plaintext, re-encrypted when written.</summary>
    private static DerNode? OpenCiphertext(DerNode algorithm, DerNode ciphertext, string? password, int? iterations)
    {
        var algorithmBytes = algorithm.Encode();
        var encrypted = ciphertext.IsConstructed
            ? ciphertext.Children!.SelectMany(chunk => chunk.Content).ToArray()
            : ciphertext.Content;
        byte[] plaintext;
        try
        {
            plaintext = Crypt(forEncryption: false, algorithmBytes, password, encrypted);
        }
        catch (Exception ex) when (ex is CryptoException or SecurityUtilityException or ArgumentException or InvalidCastException)
        {
            return null;
        }

        if (iterations is { } lower)
        {
            // The iteration count follows the salt in both PKCS#12 PBE and PBKDF2 parameters.
            foreach (var node in algorithm.Walk().Select(p => p.Node).Where(n => n.Children is not null))
            {
                for (var i = 1; i < node.Children!.Count; i++)
                {
                    if (node.Children[i].HasTag(0x02) && node.Children[i - 1].HasTag(0x04))
                    {
                        node.Children[i].Content = new System.Numerics.BigInteger(lower).ToByteArray(isUnsigned: false, isBigEndian: true);
                    }
                }
            }

            algorithmBytes = algorithm.Encode();
        }

        // Written back as a primitive [0] (EncryptedContentInfo) or OCTET STRING (EncryptedPrivateKeyInfo).
        ciphertext.Tag = [(byte)(ciphertext.Tag[0] & ~0x20)];
        ciphertext.Children = null;
        ciphertext.Content = plaintext;
        ciphertext.Inner = DerNode.TryParse(plaintext);
        ciphertext.Encryption = data => Crypt(forEncryption: true, algorithmBytes, password, data);
        return ciphertext.Inner;
    }

    private static byte[] Crypt(bool forEncryption, byte[] algorithmIdentifier, string? password, byte[] data)
    {
        var algorithm = AlgorithmIdentifier.GetInstance(algorithmIdentifier);
        if (PbeUtilities.CreateEngine(algorithm) is not IBufferedCipher cipher)
        {
            throw new CryptoException($"{algorithm.Algorithm} is not a cipher");
        }

        cipher.Init(forEncryption, PbeUtilities.GenerateCipherParameters(algorithm, (password ?? string.Empty).ToCharArray()));
        return cipher.DoFinal(data);
    }

    private static string Oid(DerNode node) =>
        System.Formats.Asn1.AsnDecoder.ReadObjectIdentifier(node.Encode(), System.Formats.Asn1.AsnEncodingRules.BER, out _);
}
