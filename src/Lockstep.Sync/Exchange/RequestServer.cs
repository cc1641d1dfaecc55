using System.Security.Cryptography;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Index;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Exchange;

/// <summary>
/// Answers a peer's Requests for one folder from disk, with Syncthing 1.19's error codes (bep-v1.md §5.8). A block
/// is served only when our index holds it for a live regular file and the bytes read from disk match its hash
/// (the weak one when the index has it, as Syncthing does); when
/// the disk disagrees with the index the answer is NoSuchFile and the file is handed to the rescan callback.
/// Thread-safe: requests may be served concurrently; bounding how many is the connection's job.
/// </summary>
public sealed class RequestServer
{
    private readonly string _root;
    private readonly FolderIndex _index;
    private readonly Func<IgnoreMatcher> _ignores;
    private readonly Action<string> _rescan;

    /// <param name="folderRoot">The folder's root directory.</param>
    /// <param name="index">The folder's index; only our local entries are read.</param>
    /// <param name="ignores">The folder's current ignore patterns, asked for on every request.</param>
    /// <param name="rescan">Called with a file's name when the disk does not match what the index says of it.</param>
    public RequestServer(string folderRoot, FolderIndex index, Func<IgnoreMatcher> ignores, Action<string> rescan)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderRoot);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ignores);
        ArgumentNullException.ThrowIfNull(rescan);
        _root = folderRoot;
        _index = index;
        _ignores = ignores;
        _rescan = rescan;
    }

    // A peer pulling a file asks for its blocks one by one; loading the entry (with its whole block list) for each
    // would cost more than the read. Entries are cached only while the index's change stamp stands still: any
    // write starts afresh. A stale entry can never serve wrong bytes: every read is checked against the hash.
    private const int CachedEntries = 64;
    private readonly Lock _cacheLock = new();
    private readonly Dictionary<string, FileInfo?> _cache = new(StringComparer.Ordinal);
    private long _cacheStamp = -1;

    private FileInfo? Lookup(string name)
    {
        long stamp = _index.ChangeStamp;
        lock (_cacheLock)
        {
            if (stamp != _cacheStamp)
            {
                _cache.Clear();
                _cacheStamp = stamp;
            }
            else if (_cache.TryGetValue(name, out var hit))
            {
                return hit;
            }
        }
        var info = _index.GetLocal(name);
        lock (_cacheLock)
        {
            if (stamp == _cacheStamp)
            {
                if (_cache.Count >= CachedEntries)
                    _cache.Clear();
                _cache[name] = info;
            }
        }
        return info;
    }

    /// <summary>
    /// The Response to <paramref name="request"/> (same Id): the block's bytes with NoError, or an error code and
    /// no data. Never throws for anything the peer or the disk does; cancellation propagates.
    /// </summary>
    public async ValueTask<Response> ServeAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (code, data) = await DecideAsync(request, cancellationToken).ConfigureAwait(false);
        if (code != ErrorCode.NoError)
        {
            data?.Dispose();
            return new Response { Id = request.Id, Code = code };
        }
        return new Response { Id = request.Id, Code = code, Data = data?.Memory ?? default, Lease = data };
    }

    private async ValueTask<(ErrorCode, BlockBuffer?)> DecideAsync(Request request, CancellationToken cancellationToken)
    {
        // Routing by folder is the caller's; a request for another folder would be served from the wrong tree.
        if (request.Folder != _index.FolderId)
            return (ErrorCode.Generic, null);
        if (RequestRules.Admit(request, _ignores()) is { } refused)
            return (refused, null);

        if (request.FromTemporary)
        {
            var temp = ContainedPath.File(_root, InternalNames.TempNameFor(request.Name), out long tempLength);
            if (temp is null)
                return (ErrorCode.NoSuchFile, null);
            var fromTemp = await TryTemporaryAsync(temp, tempLength, request, cancellationToken).ConfigureAwait(false);
            if (fromTemp is not null)
                return (ErrorCode.NoError, fromTemp);
            // As Syncthing: the pull may have finished since the peer asked, so try the file itself.
        }

        if (RequestRules.BlockFor(Lookup(request.Name), request) is not { } block)
            return (ErrorCode.NoSuchFile, null);

        // From here on our index says we have the block, so every refusal means the disk disagrees with it.
        var path = ContainedPath.File(_root, request.Name, out long length);
        if (path is null || block.Offset + block.Size > length)
            return Mismatch(request.Name);
        var (code, data) = await ReadAsync(path, block.Offset, block.Size, cancellationToken).ConfigureAwait(false);
        if (code == ErrorCode.NoSuchFile || (code == ErrorCode.NoError && !BlockMatches(data.Span, block)))
        {
            data.Dispose();
            return Mismatch(request.Name);
        }
        return (code, data);
    }

    /// <summary>
    /// A block of the temp file of a pull in progress (announced through DownloadProgress). That version is not
    /// in our index, so the request's own hash is what the bytes must match; without one nothing is served.
    /// </summary>
    private static async ValueTask<BlockBuffer?> TryTemporaryAsync(string path, long length, Request request,
        CancellationToken cancellationToken)
    {
        // The size bound keeps a peer from making us allocate more than one largest block.
        if (request.Hash.Length != SHA256.HashSizeInBytes || request.Size is <= 0 or > BlockSizes.Max || request.Offset + request.Size > length)
            return null;
        var (code, data) = await ReadAsync(path, request.Offset, request.Size, cancellationToken).ConfigureAwait(false);
        if (code == ErrorCode.NoError && HashMatches(data.Span, request.Hash))
            return data;
        data.Dispose();
        return null;
    }

    /// <summary>
    /// Exactly <paramref name="size"/> bytes at <paramref name="offset"/>: NoError with the bytes, NoSuchFile when
    /// the file is gone or shorter, Generic for any other I/O error.
    /// </summary>
    /// <remarks>
    /// The path was checked for symlinks just before, and something could swap one in between. The caller only
    /// ever returns bytes whose SHA-256 equals a block hash it already knew, so such a swap cannot leak anything.
    /// </remarks>
    private static async ValueTask<(ErrorCode, BlockBuffer)> ReadAsync(string path, long offset, int size, CancellationToken cancellationToken)
    {
        var data = BlockBuffer.Rent(size);
        if (size == 0)
            return (ErrorCode.NoError, data);
        try
        {
            using var handle = NativeFile.OpenRead(path);
            int total = 0;
            while (total < size)
            {
                int read = await RandomAccess.ReadAsync(handle, data.Memory[total..], offset + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return (ErrorCode.NoSuchFile, data); // truncated since it was looked at
                total += read;
            }
            return (ErrorCode.NoError, data);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (ErrorCode.NoSuchFile, data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (ErrorCode.Generic, data);
        }
    }

    private (ErrorCode, BlockBuffer?) Mismatch(string name)
    {
        _rescan(name);
        return (ErrorCode.NoSuchFile, null);
    }

    /// <summary>
    /// Whether bytes read for an indexed block are that block. With a weak hash in the index this is Syncthing's
    /// own check (scanner.Validate accepts an Adler-32 match): it catches a file changed behind the index's back at
    /// a tenth of SHA-256's cost, and the requester checks SHA-256 on receipt anyway. Without one, SHA-256.
    /// </summary>
    private static bool BlockMatches(ReadOnlySpan<byte> data, BlockInfo block) =>
        block.WeakHash != 0 ? Adler32.Compute(data) == block.WeakHash : HashMatches(data, block.Hash);

    private static bool HashMatches(ReadOnlySpan<byte> data, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, actual);
        return actual.SequenceEqual(expected);
    }
}
