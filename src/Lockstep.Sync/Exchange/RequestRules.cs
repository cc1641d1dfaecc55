using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Scanning;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Exchange;

/// <summary>
/// The decisions of serving a Request that need no disk: what Syncthing 1.19 answers before it touches the
/// file (lib/model/model.go Request, bep-v1.md §5.8), and which block of our indexed version is asked for.
/// </summary>
internal static class RequestRules
{
    /// <summary>The code for a request refused on its face, in Syncthing's order; null when it may go on.</summary>
    public static ErrorCode? Admit(Request request, IgnoreMatcher ignores)
    {
        if (request.Offset < 0 || request.Size < 0)
            return ErrorCode.InvalidFile;
        if (NameRules.Validate(request.Name) is not null)
            return ErrorCode.Generic;
        if (InternalNames.IsInternal(request.Name))
            return ErrorCode.InvalidFile;
        if ((ignores.Match(request.Name) & IgnoreResult.Ignored) != 0)
            return ErrorCode.InvalidFile;
        return null;
    }

    /// <summary>
    /// The block of <paramref name="local"/> the request describes exactly (offset = i × block size, size = that
    /// block's size, and the request's hash, when it carries one, equal to the block's), or null: we have no such
    /// block, which Syncthing answers with NoSuchFile. Only live, valid, regular files have blocks to serve.
    /// </summary>
    public static BlockInfo? BlockFor(FileInfo? local, Request request)
    {
        if (local is null || local.Deleted || local.Invalid || !local.IsFile)
            return null;
        var blocks = local.Blocks.IsDefault ? [] : local.Blocks;
        BlockInfo block;
        if (blocks.Length == 0)
        {
            // Our scanner records an empty file with its one empty block; a FileInfo from elsewhere may omit it.
            if (local.Size != 0)
                return null;
            block = BlockHasher.EmptyBlock;
        }
        else
        {
            long index = local.BlockSize > 0 ? request.Offset / local.BlockSize : 0;
            if (index >= blocks.Length)
                return null;
            block = blocks[(int)index];
        }
        if (block.Offset != request.Offset || block.Size != request.Size)
            return null;
        if (request.Hash.Length != 0 && !request.Hash.AsSpan().SequenceEqual(block.Hash))
            return null;
        return block;
    }
}
