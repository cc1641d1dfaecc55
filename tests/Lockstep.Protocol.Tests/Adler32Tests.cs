using System.IO.Compression;
using Lockstep.Protocol.Blocks;

namespace Lockstep.Protocol.Tests;

/// <summary>Adler-32 against zlib itself (the trailer of a zlib stream) and Syncthing's recorded value.</summary>
public sealed class Adler32Tests
{
    /// <summary>zlib's own Adler-32 of the data: the big-endian trailer of a zlib stream (RFC 1950).</summary>
    private static uint Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(data);
        var bytes = output.ToArray();
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4));
    }

    [Fact]
    public void Matches_the_value_Syncthing_announces()
    {
        // bep-v1.md §5.7 [V]: Syncthing 1.19 announced weak_hash 173081117 for a block holding "orig A\n".
        Assert.Equal(173081117u, Adler32.Compute("orig A\n"u8));
        Assert.Equal(1u, Adler32.Compute([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(5535)]
    [InlineData(5536)]
    [InlineData(5537)]
    [InlineData(5552)]
    [InlineData(5553)]
    [InlineData(11073)]
    [InlineData(131072)]
    [InlineData(1048576 + 7)]
    public void Matches_zlib_for_random_bytes_of_every_awkward_length(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(Zlib(data), Adler32.Compute(data));
        Assert.Equal(Zlib(data), Adler32.ComputeScalar(data));
    }

    [Theory]
    [InlineData(0xFF, 16 * 1024 * 1024)] // the largest sums: every intermediate is at its bound
    [InlineData(0x00, 131072)]
    [InlineData(0x80, 131072 + 5)]
    public void Matches_zlib_for_extreme_bytes(byte value, int length)
    {
        var data = new byte[length];
        Array.Fill(data, value);
        Assert.Equal(Zlib(data), Adler32.Compute(data));
    }

    [Fact]
    public void Can_be_continued_over_pieces_at_any_split()
    {
        var data = new byte[20000];
        new Random(7).NextBytes(data);
        uint whole = Adler32.Compute(data);
        foreach (int split in new[] { 0, 1, 31, 32, 100, 5536, 5537, 19999, 20000 })
            Assert.Equal(whole, Adler32.Update(Adler32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
    }
}
