using System.Formats.Asn1;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// A mutable ASN.1 tree for structure-aware mutation: read as BER, written back as definite-length DER. A primitive
/// node may hold an inner tree (<see cref="Inner"/>): DER wrapped in an OCTET STRING, or the plaintext of a ciphertext,
/// which <see cref="Encryption"/> encrypts again when the tree is written. A node can also lie about its length.
/// </summary>
internal sealed class DerNode
{
    private DerNode(byte[] tag, byte[] content, List<DerNode>? children)
    {
        Tag = tag;
        Content = content;
        Children = children;
    }

    /// <summary>The identifier octets, as read.</summary>
    public byte[] Tag { get; set; }

    /// <summary>The content of a primitive node (ignored when <see cref="Inner"/> or <see cref="Children"/> is set).</summary>
    public byte[] Content { get; set; }

    /// <summary>The elements of a constructed node.</summary>
    public List<DerNode>? Children { get; set; }

    /// <summary>The tree this primitive node's content encodes (after decryption when <see cref="Encryption"/> is set).</summary>
    public DerNode? Inner { get; set; }

    /// <summary>Encrypts the inner tree's encoding into this node's content when written.</summary>
    public Func<byte[], byte[]>? Encryption { get; set; }

    /// <summary>Added to the true content length when written: a hostile length.</summary>
    public long LengthLie { get; set; }

    public bool IsConstructed => Children is not null;

    public static DerNode Primitive(byte tag, byte[] content) => new([tag], content, null);

    public static DerNode Constructed(byte tag, params DerNode[] children) => new([tag], [], [.. children]);

    /// <summary>Reads one complete BER element; throws <see cref="AsnContentException"/> when the bytes are not one.</summary>
    public static DerNode Parse(ReadOnlySpan<byte> data)
    {
        var node = Read(data, out var consumed, depth: 0);
        if (consumed != data.Length)
        {
            throw new AsnContentException("trailing data after the element");
        }

        return node;
    }

    public static DerNode? TryParse(ReadOnlySpan<byte> data)
    {
        try
        {
            return Parse(data);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static DerNode Read(ReadOnlySpan<byte> data, out int consumed, int depth)
    {
        if (depth > 64)
        {
            throw new AsnContentException("nested too deeply for a seed");
        }

        Asn1Tag.Decode(data, out var tagLength);
        AsnDecoder.ReadEncodedValue(data, AsnEncodingRules.BER, out var contentOffset, out var contentLength, out consumed);
        var tag = data[..tagLength].ToArray();
        var content = data.Slice(contentOffset, contentLength);
        if ((tag[0] & 0x20) == 0)
        {
            return new DerNode(tag, content.ToArray(), null);
        }

        var children = new List<DerNode>();
        while (!content.IsEmpty)
        {
            children.Add(Read(content, out var used, depth + 1));
            content = content[used..];
        }

        return new DerNode(tag, [], children);
    }

    public byte[] Encode()
    {
        var output = new MemoryStream();
        WriteTo(output);
        return output.ToArray();
    }

    private void WriteTo(MemoryStream output)
    {
        byte[] content;
        if (Children is not null)
        {
            var inner = new MemoryStream();
            foreach (var child in Children)
            {
                child.WriteTo(inner);
            }

            content = inner.ToArray();
        }
        else if (Inner is not null)
        {
            content = Encryption is null ? Inner.Encode() : Encryption(Inner.Encode());
        }
        else
        {
            content = Encryption is null ? Content : Encryption(Content);
        }

        output.Write(Tag);
        WriteLength(output, Math.Clamp(content.Length + LengthLie, 0, uint.MaxValue));
        output.Write(content);
    }

    private static void WriteLength(MemoryStream output, long length)
    {
        if (length < 0x80)
        {
            output.WriteByte((byte)length);
            return;
        }

        var bytes = BitConverter.GetBytes((ulong)length).Reverse().SkipWhile(b => b == 0).ToArray();
        output.WriteByte((byte)(0x80 | bytes.Length));
        output.Write(bytes);
    }

    public DerNode Clone() => new(Tag.ToArray(), Content, Children?.Select(c => c.Clone()).ToList())
    {
        Inner = Inner?.Clone(),
        Encryption = Encryption,
        LengthLie = LengthLie,
    };

    /// <summary>This node and every node below it, inner trees included, with each node's parent.</summary>
    public IEnumerable<(DerNode Node, DerNode? Parent)> Walk(DerNode? parent = null)
    {
        yield return (this, parent);
        foreach (var child in Children ?? [])
        {
            foreach (var pair in child.Walk(this))
            {
                yield return pair;
            }
        }

        if (Inner is not null)
        {
            foreach (var pair in Inner.Walk(this))
            {
                yield return pair;
            }
        }
    }

    public bool HasTag(byte tag) => Tag is [var only] && only == tag;
}
