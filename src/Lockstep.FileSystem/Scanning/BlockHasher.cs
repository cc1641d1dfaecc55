using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.FileSystem.Scanning;

/// <summary>
/// SHA-256 per block, Syncthing's layout (bep-v1.md §5.7). Large files are hashed on several cores at once:
/// blocks are independent, so disjoint block ranges are read with positional reads and hashed in parallel.
/// Each block also gets its Adler-32 weak hash, as Syncthing 1.19 computes it (0 for the empty file's block), so
/// our index and blocks_hash equal Syncthing's for the same bytes and a served block is checked cheaply.
/// </summary>
public static class BlockHasher
{
    private static readonly byte[] s_emptyHash = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The single block of an empty file: offset 0, size 0, SHA-256 of nothing.</summary>
    public static BlockInfo EmptyBlock { get; } = new(0, 0, s_emptyHash);

    /// <summary>
    /// Hashes <paramref name="size"/> bytes of an open file. Throws <see cref="TornReadException"/> when
    /// fewer bytes than expected could be read (the file shrank while hashed).
    /// </summary>
    public static ImmutableArray<BlockInfo> Hash(SafeFileHandle handle, long size, int blockSize, int parallelism,
        Action<long>? onBytes = null, CancellationToken cancellationToken = default)
    {
        if (size == 0)
            return [EmptyBlock];
        int count = (int)((size + blockSize - 1) / blockSize);
        var blocks = new BlockInfo[count];
        // Chunks of consecutive blocks keep reads large; enough chunks to keep every core busy.
        int chunkBlocks = Math.Max(1, Math.Min(count, Math.Max(1, (8 * 1024 * 1024) / blockSize)));
        int chunks = (count + chunkBlocks - 1) / chunkBlocks;
        if (parallelism <= 1 || chunks == 1)
        {
            for (int c = 0; c < chunks; c++)
                HashChunk(handle, size, blockSize, c * chunkBlocks, Math.Min(count, (c + 1) * chunkBlocks), blocks, onBytes, cancellationToken);
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                c => HashChunk(handle, size, blockSize, c * chunkBlocks, Math.Min(count, (c + 1) * chunkBlocks), blocks, onBytes, cancellationToken));
        }
        return ImmutableArray.Create(blocks);
    }

    private static void HashChunk(SafeFileHandle handle, long size, int blockSize, int first, int end,
        BlockInfo[] blocks, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            for (int i = first; i < end; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long offset = (long)i * blockSize;
                int length = (int)Math.Min(blockSize, size - offset);
                int read = 0;
                while (read < length)
                {
                    int n = RandomAccess.Read(handle, buffer.AsSpan(read, length - read), offset + read);
                    if (n == 0)
                        throw new TornReadException($"the file ended at {offset + read} bytes while {size} were expected");
                    read += n;
                }
                var bytes = buffer.AsSpan(0, length);
                blocks[i] = new BlockInfo(offset, length, SHA256.HashData(bytes), Adler32.Compute(bytes));
                onBytes?.Invoke(length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The file changed size while it was being hashed; its blocks must not be used.</summary>
public sealed class TornReadException(string message) : IOException(message);
