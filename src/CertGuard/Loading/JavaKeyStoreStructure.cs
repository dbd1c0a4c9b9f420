using System.Buffers.Binary;

namespace CertGuard.Loading;

/// <summary>
/// Walks a JKS keystore's layout and checks every count and length against the bytes that are really there, before
/// BouncyCastle reads it: its reader allocates whatever a length field claims (fuzzing made it allocate 5.8 GB for a
/// 2 KB file). With this check, allocation is bounded by the size of the input.
/// </summary>
internal static class JavaKeyStoreStructure
{
    private const int PrivateKeyEntry = 1;
    private const int TrustedCertificateEntry = 2;
    private const int DigestLength = 20;

    /// <returns>Why the layout is inconsistent, or <see langword="null"/> when every length fits.</returns>
    public static string? Check(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        if (!reader.Int32(out _) || !reader.Int32(out var version) || !reader.Int32(out var count))
        {
            return "the keystore header is truncated";
        }

        if (version is not (1 or 2))
        {
            return $"unknown keystore version {version}";
        }

        if (count < 0 || count > data.Length / 16)
        {
            return $"the keystore claims {count} entries, more than its {data.Length} bytes can hold";
        }

        for (var i = 0; i < count; i++)
        {
            if (!reader.Int32(out var tag) || !reader.Utf(out _) || !reader.Skip(8))
            {
                return $"entry {i + 1} is truncated";
            }

            var ok = tag switch
            {
                PrivateKeyEntry => reader.Block() && reader.Int32(out var chain) && chain >= 0 && chain <= data.Length / 4 && Certificates(ref reader, chain, version),
                TrustedCertificateEntry => Certificates(ref reader, 1, version),
                _ => false,
            };
            if (!ok)
            {
                return $"entry {i + 1} has a length that runs past the end of the data (or an unknown entry type {tag})";
            }
        }

        return reader.Remaining >= DigestLength ? null : "the keystore's integrity digest is missing";
    }

    private static bool Certificates(ref Reader reader, int count, int version)
    {
        for (var i = 0; i < count; i++)
        {
            if ((version == 2 && !reader.Utf(out _)) || !reader.Block())
            {
                return false;
            }
        }

        return true;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Remaining => _data.Length - _position;

        public bool Int32(out int value)
        {
            value = 0;
            if (Remaining < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_data[_position..]);
            _position += 4;
            return true;
        }

        /// <summary>A Java modified-UTF-8 string: an unsigned 16-bit length, then the bytes.</summary>
        public bool Utf(out int length)
        {
            length = 0;
            if (Remaining < 2)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(_data[_position..]);
            _position += 2;
            return Skip(length);
        }

        /// <summary>A 32-bit length followed by that many bytes.</summary>
        public bool Block() => Int32(out var length) && length >= 0 && Skip(length);

        public bool Skip(int count)
        {
            if (count < 0 || count > Remaining)
            {
                return false;
            }

            _position += count;
            return true;
        }
    }
}
