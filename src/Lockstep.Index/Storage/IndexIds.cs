using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lockstep.Index.Storage;

/// <summary>Index IDs (BEP ClusterConfig): random, non-zero, 64-bit.</summary>
internal static class IndexIds
{
    /// <summary>A new random ID that is neither 0 (BEP's "none") nor <paramref name="previous"/>, so a reset is always visible to peers.</summary>
    public static ulong New(ulong previous = 0)
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        while (id == 0 || id == previous);
        return id;
    }
}
