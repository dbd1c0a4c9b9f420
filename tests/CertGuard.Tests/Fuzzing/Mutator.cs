namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// Seeded, structure-aware-enough mutations of certificate files: bit flips, interesting bytes, ASN.1 length
/// tampering, truncation, duplication and splicing. Deterministic for a seed, so any failure replays exactly.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF, 0x30, 0x02, 0x04, 0x05, 0x06, 0xA0, 0x2D, 0x0A];
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = input.ToArray();
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds && data.Length > 0; i++)
        {
            data = _random.Next(8) switch
            {
                0 => FlipBit(data),
                1 => SetInteresting(data),
                2 => TamperLength(data),
                3 => Truncate(data),
                4 => DeleteRange(data),
                5 => DuplicateRange(data),
                6 => Splice(data, other),
                _ => InsertRandom(data),
            };
        }

        return data;
    }

    private byte[] FlipBit(byte[] data)
    {
        data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
        return data;
    }

    private byte[] SetInteresting(byte[] data)
    {
        data[_random.Next(data.Length)] = Interesting[_random.Next(Interesting.Length)];
        return data;
    }

    /// <summary>Finds a DER long-form length and makes it huge, tiny or off by one: the classic parser killer.</summary>
    private byte[] TamperLength(byte[] data)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var i = _random.Next(Math.Max(1, data.Length - 3));
            if (data[i] is >= 0x81 and <= 0x84)
            {
                var width = data[i] & 0x7F;
                for (var j = 1; j <= width && i + j < data.Length; j++)
                {
                    data[i + j] = _random.Next(3) switch { 0 => 0xFF, 1 => 0x00, _ => (byte)(data[i + j] + 1) };
                }

                return data;
            }
        }

        return SetInteresting(data);
    }

    private byte[] Truncate(byte[] data) => data[.._random.Next(data.Length)];

    private byte[] DeleteRange(byte[] data)
    {
        var start = _random.Next(data.Length);
        var length = Math.Min(data.Length - start, 1 + _random.Next(32));
        return [.. data[..start], .. data[(start + length)..]];
    }

    private byte[] DuplicateRange(byte[] data)
    {
        var start = _random.Next(data.Length);
        var length = Math.Min(data.Length - start, 1 + _random.Next(64));
        return [.. data[..(start + length)], .. data[start..]];
    }

    private byte[] Splice(byte[] data, byte[] other)
    {
        if (other.Length == 0)
        {
            return data;
        }

        var cut = _random.Next(data.Length);
        var from = _random.Next(other.Length);
        return [.. data[..cut], .. other[from..]];
    }

    private byte[] InsertRandom(byte[] data)
    {
        var at = _random.Next(data.Length);
        var inserted = new byte[1 + _random.Next(16)];
        _random.NextBytes(inserted);
        return [.. data[..at], .. inserted, .. data[at..]];
    }
}
