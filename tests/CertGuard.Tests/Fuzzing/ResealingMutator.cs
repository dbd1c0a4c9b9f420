using System.Formats.Asn1;
using System.Numerics;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// Mutates a PFX <em>below its MAC</em> and seals it again with a valid one: byte-level mutations of the whole
/// AuthenticatedSafe, byte-level mutations of one plaintext (an unencrypted SafeContents, a decrypted SafeContents or
/// a decrypted private key, encrypted again afterwards), and structure-aware mutations anywhere in the opened tree:
/// object identifiers (bag types, content types, algorithms), integers (iteration counts up to 2^64, versions), salt
/// and octet lengths, removed, duplicated, swapped and foreign elements, retagging, nesting (plain and as
/// SafeContentsBags) and lying lengths. Deterministic for a seed, so a reported input replays.
/// </summary>
internal sealed class ResealingMutator(int seed)
{
    private const string SafeContentsBag = "1.2.840.113549.1.12.10.1.6";

    private static readonly string[] Oids =
    [
        "1.2.840.113549.1.12.10.1.1", "1.2.840.113549.1.12.10.1.2", "1.2.840.113549.1.12.10.1.3", "1.2.840.113549.1.12.10.1.4",
        "1.2.840.113549.1.12.10.1.5", SafeContentsBag, "1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2", "1.2.840.113549.1.7.3",
        "1.2.840.113549.1.7.6", "1.2.840.113549.1.5.13", "1.2.840.113549.1.5.12", "1.3.6.1.4.1.11591.4.11",
        "1.2.840.113549.1.12.1.1", "1.2.840.113549.1.12.1.3", "1.2.840.113549.1.12.1.5", "1.2.840.113549.1.12.1.6",
        "2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.42", "1.2.840.113549.3.7", "1.2.840.113549.3.2", "1.2.840.113549.2.7",
        "1.2.840.113549.2.9", "1.2.840.113549.2.11", "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "1.2.840.113549.2.5",
        "1.2.840.113549.1.9.22.1", "1.2.840.113549.1.9.22.2", "1.2.840.113549.1.9.20", "1.2.840.113549.1.9.21",
        "1.2.840.113549.1.1.1", "1.2.840.10045.2.1", "1.3.101.112", "2.16.840.1.113894.746875.1.1", "1.2.3", "2.999.1",
    ];

    private static readonly BigInteger[] Integers =
    [
        0, -1, 1, 2, 3, 127, 128, 255, 256, 1024, 2048, 300_000, 300_001, 1_000_000, 4_999_999, 5_000_001, int.MaxValue, (BigInteger)int.MaxValue + 1,
        uint.MaxValue, long.MaxValue, BigInteger.Pow(2, 64), -BigInteger.Pow(2, 64), BigInteger.Pow(2, 8000),
    ];

    private static readonly int[] OctetLengths = [0, 1, 7, 8, 15, 16, 20, 33, 64, 255, 1000, 65_536];
    private static readonly int[] Depths = [1, 2, 3, 8, 64, 500, 2000];
    private static readonly int[] Copies = [1, 1, 2, 16, 200];
    private static readonly byte[] PrimitiveTags = [0x02, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x1E, 0x80, 0x81, 0x01, 0x03];
    private static readonly byte[] ConstructedTags = [0x30, 0x31, 0xA0, 0xA1, 0x24, 0xA3];

    private readonly Random _random = new(seed);
    private readonly Mutator _bytes = new(seed ^ 0x51A1);

    public byte[] Mutate(OpenedPfx pfx, OpenedPfx other)
    {
        switch (_random.Next(10))
        {
            case 0 or 1:
                return pfx.Reseal(_bytes.Mutate(pfx.Envelope.AuthenticatedSafe, other.Envelope.AuthenticatedSafe));
            case 2 or 3:
                var tree = pfx.AuthenticatedSafe.Clone();
                var plaintexts = tree.Walk().Select(p => p.Node).Where(n => n.Inner is not null || n.Encryption is not null).ToList();
                if (plaintexts.Count > 0)
                {
                    var holder = plaintexts[_random.Next(plaintexts.Count)];
                    holder.Content = _bytes.Mutate(holder.Inner?.Encode() ?? holder.Content, other.Envelope.AuthenticatedSafe);
                    holder.Inner = null;
                }

                return pfx.Reseal(tree);
            default:
                var mutated = pfx.AuthenticatedSafe.Clone();
                var rounds = 1 + _random.Next(3);
                for (var i = 0; i < rounds; i++)
                {
                    MutateStructure(mutated, other.AuthenticatedSafe);
                }

                return pfx.Reseal(mutated);
        }
    }

    private void MutateStructure(DerNode tree, DerNode other)
    {
        var nodes = tree.Walk().ToList();
        var choice = _random.Next(14);
        switch (choice)
        {
            case 0 or 1 or 2 or 3:
                // Integers are iteration counts, versions, key sizes: the likeliest place for a parser to trust a number.
                if (Pick(nodes, n => n.HasTag(0x02)) is { } integer)
                {
                    integer.Node.Content = IntegerContent(Integers[_random.Next(Integers.Length)]);
                }

                break;
            case 4 or 5:
                if (Pick(nodes, n => n.HasTag(0x06)) is { } oid)
                {
                    oid.Node.Content = OidContent(_random.Next(8) == 0 ? $"1.2.840.113549.1.12.10.1.{_random.Next(0, 300)}" : Oids[_random.Next(Oids.Length)]);
                }

                break;
            case 6:
                if (Pick(nodes, n => n.HasTag(0x04) && n.Inner is null && n.Encryption is null) is { } octets)
                {
                    var bytes = new byte[OctetLengths[_random.Next(OctetLengths.Length)]];
                    _random.NextBytes(bytes);
                    octets.Node.Content = bytes;
                }

                break;
            case 7:
                if (Pick(nodes, n => n.Children is { Count: > 0 }) is { } parent)
                {
                    parent.Node.Children!.RemoveAt(_random.Next(parent.Node.Children.Count));
                }

                break;
            case 8:
                if (Pick(nodes, n => n.Children is { Count: > 0 }) is { } host)
                {
                    var children = host.Node.Children!;
                    var at = _random.Next(children.Count);
                    var copies = Copies[_random.Next(Copies.Length)];

                    // Copies of copies grow geometrically over rounds: stay well under the loader's 16 MiB size limit.
                    copies = children[at].Encode().Length * (long)copies > 1 << 20 ? 1 : copies;
                    children.InsertRange(at, Enumerable.Range(0, copies).Select(_ => children[at].Clone()));
                }

                break;
            case 9:
                if (Pick(nodes, n => n.Children is { Count: > 1 }) is { } swapped)
                {
                    var children = swapped.Node.Children!;
                    var (a, b) = (_random.Next(children.Count), _random.Next(children.Count));
                    (children[a], children[b]) = (children[b], children[a]);
                }

                break;
            case 10:
                var foreign = other.Walk().ToList();
                if (Pick(nodes, n => n.Children is not null) is { } target && foreign.Count > 0)
                {
                    target.Node.Children!.Insert(_random.Next(target.Node.Children.Count + 1), foreign[_random.Next(foreign.Count)].Node.Clone());
                }

                break;
            case 11:
                Nest(nodes);
                break;
            case 12:
                Retag(nodes);
                break;
            default:
                if (Pick(nodes, _ => true) is { } liar)
                {
                    liar.Node.LengthLie = _random.Next(4) switch { 0 => 1, 1 => -1, 2 => int.MaxValue, _ => _random.Next(-64, 64) };
                }

                break;
        }
    }

    /// <summary>Wraps an element in SEQUENCEs, or a SafeBag in SafeContentsBags, some levels deep.</summary>
    private void Nest(List<(DerNode Node, DerNode? Parent)> nodes)
    {
        if (Pick(nodes, n => n.Children is { Count: > 0 }) is not { } host)
        {
            return;
        }

        var children = host.Node.Children!;
        var at = _random.Next(children.Count);
        var depth = Depths[_random.Next(Depths.Length)];
        var node = children[at];
        var asBag = _random.Next(2) == 0;
        for (var i = 0; i < depth; i++)
        {
            node = asBag
                ? DerNode.Constructed(0x30, DerNode.Primitive(0x06, OidContent(SafeContentsBag)), DerNode.Constructed(0xA0, DerNode.Constructed(0x30, node)))
                : DerNode.Constructed(0x30, node);
        }

        children[at] = node;
    }

    private void Retag(List<(DerNode Node, DerNode? Parent)> nodes)
    {
        if (Pick(nodes, _ => true) is not { } target)
        {
            return;
        }

        var node = target.Node;
        if (node.IsConstructed && _random.Next(3) == 0)
        {
            // Flattened: the elements become the content of a primitive.
            node.Content = [.. node.Children!.SelectMany(c => c.Encode())];
            node.Children = null;
            node.Tag = [PrimitiveTags[_random.Next(PrimitiveTags.Length)]];
        }
        else
        {
            node.Tag = node.IsConstructed
                ? [ConstructedTags[_random.Next(ConstructedTags.Length)]]
                : [PrimitiveTags[_random.Next(PrimitiveTags.Length)]];
        }
    }

    private (DerNode Node, DerNode? Parent)? Pick(List<(DerNode Node, DerNode? Parent)> nodes, Func<DerNode, bool> where)
    {
        var matching = nodes.Where(n => where(n.Node)).ToList();
        return matching.Count == 0 ? null : matching[_random.Next(matching.Count)];
    }

    private static byte[] IntegerContent(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    private static byte[] OidContent(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode()[2..];
    }
}
