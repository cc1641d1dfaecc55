using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Protocol.Validation;

/// <summary>
/// The per-kind rules of bep-v1.md §5.6 for one announced FileInfo. The first three block-list rules are
/// Syncthing's own (checkFileInfoConsistency, which closes the connection over them); the rest are ours,
/// and hold for everything Syncthing's scanner produces:
/// <list type="bullet">
/// <item>symlinks carry no blocks either (their target travels in symlink_target);</item>
/// <item>a valid, present regular file is cut into block_size pieces: block i starts at i × block_size,
///   every block but the last is block_size long, the last is 1…block_size bytes, the sizes add up to
///   size, and an empty file is exactly one block of size 0; every hash is 32 bytes (SHA-256).</item>
/// </list>
/// Invalid files ("cannot serve, do not pull") are not held to the block layout: nothing is ever pulled
/// from them, and Syncthing's receive-only folders announce local changes that way.
/// </summary>
internal static class FileInfoRules
{
    private const int HashLength = 32;

    /// <summary>Null if the file is acceptable, else the reason naming the field.</summary>
    public static string? Check(FileInfo file)
    {
        if (!Enum.IsDefined(file.Type))
            return $"type: unknown value {(int)file.Type}";
        if (file.Size < 0)
            return $"size: negative ({file.Size})";

        bool hasBlocks = !file.Blocks.IsDefaultOrEmpty;
        if (file.Deleted && hasBlocks)
            return "deleted file with non-empty block list";
        if (file.IsDirectory && hasBlocks)
            return "directory with non-empty block list";
        if (file.IsSymlink && hasBlocks)
            return "symlink with non-empty block list";
        if (file.IsFile && !file.Deleted && !file.Invalid && !hasBlocks)
            return "file with empty block list";

        if (file.IsFile && !file.Deleted && !file.Invalid)
            return CheckLayout(file);
        return null;
    }

    private static string? CheckLayout(FileInfo file)
    {
        int blockSize = file.BlockSize;
        if (!BlockSizes.IsValid(blockSize))
            return $"block_size: {blockSize} is not a power of two from {BlockSizes.Min} to {BlockSizes.Max}";

        var blocks = file.Blocks;
        if (file.Size == 0)
        {
            return blocks is [{ Offset: 0, Size: 0, Hash.Length: HashLength }]
                ? null
                : "blocks: an empty file has exactly one block {offset 0, size 0, 32-byte hash}";
        }

        long offset = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            var block = blocks[i];
            if (block.Hash.Length != HashLength)
                return $"blocks[{i}].hash: {block.Hash.Length} bytes, expected {HashLength} (SHA-256)";
            if (block.Offset != offset)
                return $"blocks[{i}].offset: {block.Offset}, expected {offset}";
            bool last = i == blocks.Length - 1;
            if (!last && block.Size != blockSize)
                return $"blocks[{i}].size: {block.Size}, expected block_size {blockSize} (only the last block may be shorter)";
            if (last && (block.Size <= 0 || block.Size > blockSize))
                return $"blocks[{i}].size: {block.Size}, expected 1 to block_size {blockSize} for the last block";
            offset += block.Size;
        }
        return offset == file.Size ? null : $"size: {file.Size}, but the blocks cover {offset} bytes";
    }
}
