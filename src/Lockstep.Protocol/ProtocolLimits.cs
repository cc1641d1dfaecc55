using Lockstep.Protocol.Blocks;

namespace Lockstep.Protocol;

/// <summary>
/// Bounds applied to everything a peer sends, checked before anything is allocated for it. Immutable once
/// built; each setter rejects out-of-range values, so a bad option fails at startup, not mid-connection.
/// </summary>
public sealed record ProtocolLimits
{
    /// <summary>Syncthing's own ceiling for a message (lib/protocol MaxMessageLen): nothing larger is ever valid on the wire.</summary>
    public const int SyncthingMaxMessageSize = 500_000_000;

    /// <summary>Room for a Response carrying one full 16 MiB block plus its id/code fields.</summary>
    public const int MinMessageSize = BlockSizes.Max + 1024;

    public static ProtocolLimits Default { get; } = new();

    /// <summary>
    /// Largest message body accepted, compressed or not, and largest declared LZ4 decompressed size. Defaults
    /// to 64 MiB. Syncthing allows 500,000,000 bytes, but what it actually sends stays far below that: Responses
    /// are ≤ 16 MiB + a few bytes, index batches are flushed at 250 KiB, so only a FileInfo with about 1.2
    /// million blocks (a file over 16 TiB) could need more. Accepting 500 MB would let any peer make us hold
    /// 500 MB per connection (twice, when compressed). At most <see cref="SyncthingMaxMessageSize"/>: a larger
    /// message would be refused by Syncthing.
    /// </summary>
    public int MaxMessageSize
    {
        get;
        init => field = value is >= MinMessageSize and <= SyncthingMaxMessageSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), value,
                $"must be from {MinMessageSize} to {SyncthingMaxMessageSize} bytes");
    } = 64 * 1024 * 1024;

    /// <summary>
    /// Most blocks one FileInfo may list. Defaults to 1,048,576 (2^20): a 16 TiB file at Syncthing's 16 MiB
    /// block size. Encoded, that is about 55 bytes a block (offset, size, 32-byte hash, weak hash, tags), so
    /// ~58 MB, and still fits <see cref="MaxMessageSize"/>'s default. Syncthing has no such limit; it has no
    /// need for one either, since nothing it scans gets close.
    /// </summary>
    public int MaxBlocksPerFile
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxBlocksPerFile), value, "must be at least 1");
    } = 1 << 20;

    /// <summary>
    /// Longest file name accepted, in UTF-8 bytes, for the whole folder-relative path. Defaults to 4096,
    /// Linux's PATH_MAX: a longer relative name could not be opened under any folder root. Syncthing sets no
    /// limit of its own. At least 255 (one Linux path element).
    /// </summary>
    public int MaxNameLength
    {
        get;
        init => field = value >= 255
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxNameLength), value, "must be at least 255 bytes");
    } = 4096;
}
