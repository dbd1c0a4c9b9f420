using CertGuard.Loading;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// The re-sealing mutator is only evidence if the sealer is right: an opened and re-sealed seed, unmutated, must load
/// exactly as the original, and a change below the MAC must be refused without re-sealing and read with it.
/// </summary>
public sealed class OpenedPfxTests
{
    public static TheoryData<string> Seeds() => [.. Pkcs12Seeds.Files.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_unmutated_resealed_seed_loads_exactly_like_the_original(string name)
    {
        var (_, original, password) = Pkcs12Seeds.Files.Single(s => s.Name == name);
        var opened = OpenedPfx.Open(name, original, password);

        var resealed = opened.Reseal(opened.AuthenticatedSafe.Clone());

        Assert.Equal(Describe(original, password), Describe(resealed, password));
        if (!name.StartsWith("corpus/", StringComparison.Ordinal))
        {
            // Minted seeds are DER, and decryption, re-encryption (same salt and IV) and the MAC are deterministic.
            Assert.Equal(Convert.ToHexString(original), Convert.ToHexString(resealed));
        }
    }

    [Fact]
    public void A_seed_opened_with_fewer_iterations_loads_like_the_original()
    {
        var (name, original, password) = Pkcs12Seeds.Files.Single(s => s.Name == "dotnet-export-aes");
        var opened = OpenedPfx.Open(name, original, password, iterations: 3);

        var resealed = opened.Reseal(opened.AuthenticatedSafe.Clone());

        Assert.Equal(Describe(original, password), Describe(resealed, password));
        Assert.Equal(3, PfxEnvelope.Decode(resealed).Mac!.Iterations);
        Assert.Equal(3, opened.AuthenticatedSafe.Walk().Select(p => p.Node).Count(n => n.HasTag(0x02) && n.Content is [3]));
    }

    [Fact]
    public void Ciphertexts_are_opened_in_every_encrypted_shape()
    {
        var opened = Pkcs12Seeds.Opened().ToDictionary(s => s.Name);

        Assert.Equal(3, opened["dotnet-export-aes"].EncryptedParts);
        Assert.Equal(2, opened["legacy-3des"].EncryptedParts);
        Assert.Equal(2, opened["key-inside-encrypted"].EncryptedParts);
        Assert.Equal(1, opened["nested-safe-contents"].EncryptedParts);
        Assert.Equal(2, opened["bouncycastle-rc2"].EncryptedParts);
        Assert.Equal(0, opened["no-mac"].EncryptedParts);
    }

    [Fact]
    public void A_change_below_the_mac_is_refused_unless_resealed()
    {
        var (name, original, password) = Pkcs12Seeds.Files.Single(s => s.Name == "unencrypted-certs");
        var opened = OpenedPfx.Open(name, original, password);
        var tree = opened.AuthenticatedSafe.Clone();
        var friendlyName = tree.Walk().Select(p => p.Node).First(n => n.HasTag(0x1E));
        friendlyName.Content = [0, 0x71, 0, 0x32];
        var changed = tree.Encode();
        var unsealed = original.AsSpan().IndexOf(opened.Envelope.AuthenticatedSafe);
        var tampered = original.ToArray();
        changed.CopyTo(tampered, unsealed);

        Assert.Contains("WrongPassword", Describe(tampered, password));
        Assert.Equal(Describe(original, password).Replace("p1", "q2", StringComparison.Ordinal), Describe(opened.Reseal(tree), password));
    }

    [Fact]
    public void A_plaintext_changed_inside_encrypted_contents_is_encrypted_again()
    {
        var (name, original, password) = Pkcs12Seeds.Files.Single(s => s.Name == "key-inside-encrypted");
        var opened = OpenedPfx.Open(name, original, password);
        var tree = opened.AuthenticatedSafe.Clone();
        var decrypted = tree.Walk().Select(p => p.Node).Single(n => n.Encryption is not null && n.HasTag(0x80)).Inner!;
        decrypted.Children!.RemoveAt(1);

        using var before = CertificateLoader.Load(original, "seed.pfx", new CertificateLoadOptions { Passwords = [password!] });
        using var after = CertificateLoader.Load(opened.Reseal(tree), "changed.pfx", new CertificateLoadOptions { Passwords = [password!] });

        // The CA's bag sat between the leaf's bag and the key, all inside the ciphertext: only the leaf and its key remain.
        Assert.Equal(2, before.Certificates.Count);
        var leaf = Assert.Single(after.Certificates);
        Assert.Empty(after.Errors);
        Assert.True(leaf.HasPrivateKey);
        Assert.Equal(before.Certificates.Single(c => c.HasPrivateKey).Certificate.Thumbprint, leaf.Certificate.Thumbprint);
    }

    private static string Describe(byte[] pfx, string? password)
    {
        using var result = CertificateLoader.Load(pfx, "seed.pfx", new CertificateLoadOptions { Passwords = string.IsNullOrEmpty(password) ? [] : [password] });
        return string.Join("; ", result.Certificates.Select(c => $"{c.Certificate.Thumbprint} {c.Entry} {(c.HasPrivateKey ? "key" : "no key")} {c.PrivateKeyProtection}"))
            + " | " + string.Join("; ", result.Errors.Select(e => $"{e.Reason} {e.Message}"));
    }
}
