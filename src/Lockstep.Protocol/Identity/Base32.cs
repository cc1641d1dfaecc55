namespace Lockstep.Protocol.Identity;

/// RFC 4648 base32 (alphabet A–Z, 2–7), without padding; the encoding of device IDs.
internal static class Base32
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int bitBuffer = 0, bits = 0, o = 0;
        foreach (var b in data)
        {
            bitBuffer = (bitBuffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[o++] = Alphabet[(bitBuffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
            chars[o++] = Alphabet[(bitBuffer << (5 - bits)) & 31];
        return new string(chars, 0, o);
    }

    /// Decodes unpadded base32; returns null on a character outside the alphabet.
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        var result = new byte[text.Length * 5 / 8];
        int bitBuffer = 0, bits = 0, o = 0;
        foreach (var c in text)
        {
            int v = Alphabet.IndexOf(c);
            if (v < 0)
                return null;
            bitBuffer = (bitBuffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                if (o < result.Length)
                    result[o++] = (byte)(bitBuffer >> (bits - 8));
                bits -= 8;
            }
            bitBuffer &= (1 << bits) - 1;
        }
        return result;
    }
}
