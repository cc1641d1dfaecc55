using System.Buffers.Binary;
using System.Security.Cryptography;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Blocks;

/// <summary>
/// Syncthing's FileInfo.blocks_hash (bep-v1.md §5.7): SHA-256 over hash ‖ BE-uint32(weak_hash) for every
/// block in order. Optional on the wire: we send it empty and Syncthing recomputes it. Useful as a compact
/// "same block list" key.
/// </summary>
public static class BlocksHash
{
    public static byte[] Compute(IEnumerable<BlockInfo> blocks)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> weak = stackalloc byte[4];
        foreach (var block in blocks)
        {
            sha.AppendData(block.Hash);
            BinaryPrimitives.WriteUInt32BigEndian(weak, block.WeakHash);
            sha.AppendData(weak);
        }
        return sha.GetHashAndReset();
    }
}
