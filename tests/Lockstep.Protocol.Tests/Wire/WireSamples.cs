using System.Collections.Immutable;
using System.Security.Cryptography;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Protocol.Tests.Wire;

/// <summary>Messages with every field set to something other than its default, for round trips.</summary>
internal static class WireSamples
{
    public static readonly DeviceId SyncthingId = new(Enumerable.Range(0x01, 32).Select(i => (byte)i).ToArray());
    public static readonly DeviceId OurId = new(Enumerable.Range(0xA0, 32).Select(i => (byte)i).ToArray());
    public static readonly ShortId High = new(0xF123_4567_89AB_CDEFUL);   // above long.MaxValue

    public static readonly byte[] EmptyHash = SHA256.HashData([]);

    public static VersionVector Version(params (ShortId Id, ulong Value)[] counters) =>
        VersionVector.From(counters.Select(c => new Counter(c.Id, c.Value)));

    public static FileInfo File(string name, int blocks = 3, int blockSize = 131072, int lastBlock = 1000)
    {
        var list = ImmutableArray.CreateBuilder<BlockInfo>();
        for (int i = 0; i < blocks; i++)
        {
            int size = i == blocks - 1 ? lastBlock : blockSize;
            list.Add(new BlockInfo((long)i * blockSize, size, SHA256.HashData(BitConverter.GetBytes(i))));
        }
        return new FileInfo
        {
            Name = name,
            Size = (long)(blocks - 1) * blockSize + lastBlock,
            Permissions = 0x1A4,
            ModifiedS = 1_795_260_876,
            ModifiedNs = 123_456_789,
            Version = Version((new ShortId(1), 1_795_260_000), (High, 1_795_260_876)),
            Sequence = 42,
            ModifiedBy = High,
            BlockSize = blockSize,
            Blocks = list.ToImmutable(),
        };
    }

    public static FileInfo EmptyFile(string name) => new()
    {
        Name = name,
        Permissions = 0x1A4,
        ModifiedS = 1_795_260_876,
        ModifiedNs = 1,
        Version = Version((High, 7)),
        Sequence = 3,
        ModifiedBy = High,
        BlockSize = 131072,
        Blocks = [new BlockInfo(0, 0, EmptyHash)],
    };

    public static FileInfo Directory(string name) => new()
    {
        Name = name,
        Type = FileInfoType.Directory,
        Permissions = 0x1ED,
        ModifiedS = 1_795_260_000,
        ModifiedNs = 5,
        Version = Version((new ShortId(9), 2)),
        Sequence = 4,
        ModifiedBy = new ShortId(9),
    };

    public static FileInfo Symlink(string name, string target) => new()
    {
        Name = name,
        Type = FileInfoType.Symlink,
        NoPermissions = true,
        Version = Version((new ShortId(9), 3)),
        Sequence = 5,
        ModifiedBy = new ShortId(9),
        SymlinkTarget = target,
    };

    public static FileInfo Tombstone(string name) => new()
    {
        Name = name,
        Permissions = 0x1A4,
        ModifiedS = 1_795_260_999,
        Deleted = true,
        Version = Version((new ShortId(9), 4)),
        Sequence = 6,
        ModifiedBy = new ShortId(9),
    };

    public static ClusterConfig ClusterConfig() => new()
    {
        Folders =
        [
            new FolderAnnouncement
            {
                Id = "f1", Label = "Photos", ReadOnly = true, IgnorePermissions = true, IgnoreDelete = true,
                DisableTempIndexes = true, Paused = true,
                Devices =
                [
                    new DeviceAnnouncement
                    {
                        Id = SyncthingId, Name = "st", Addresses = ["dynamic", "tcp://127.0.0.1:22101"],
                        Compression = CompressionMode.Always, CertName = "syncthing", MaxSequence = 11,
                        Introducer = true, IndexId = 0xFEDC_BA98_7654_3210UL, SkipIntroductionRemovals = true,
                        EncryptionPasswordToken = [1, 2, 3],
                    },
                    new DeviceAnnouncement { Id = OurId, Name = "ours", Compression = CompressionMode.Never, IndexId = 0x1122334455667788 },
                ],
            },
            new FolderAnnouncement { Id = "f2" },
        ],
    };

    public static IndexMessage Index(bool update) => new()
    {
        Folder = "f1",
        IsUpdate = update,
        Files =
        [
            File("photos/2026/a.jpg"), EmptyFile("empty"), Directory("photos"), Symlink("link", "../target"),
            Tombstone("gone.txt"), File("ünïcödé/ä.txt", blocks: 1, lastBlock: 17),
        ],
    };

    public static Request Request() => new()
    {
        Id = int.MaxValue, Folder = "f1", Name = "photos/2026/a.jpg", Offset = 262144, Size = 131072,
        Hash = SHA256.HashData([1]), FromTemporary = true, WeakHash = 0xDEADBEEF, BlockNo = 2,
    };

    public static Response Response() => new()
    {
        Id = 12, Data = Enumerable.Range(0, 4000).Select(i => (byte)(i % 7)).ToArray(), Code = ErrorCode.NoSuchFile,
    };

    public static DownloadProgress DownloadProgress() => new()
    {
        Folder = "f1",
        Updates =
        [
            new FileDownloadProgressUpdate
            {
                Name = "big.iso", Version = Version((High, 5)), BlockIndexes = [0, 1, 5, 1000], BlockSize = 1048576,
            },
            new FileDownloadProgressUpdate { UpdateType = FileDownloadProgressUpdateType.Forget, Name = "old.iso" },
        ],
    };

    public static IEnumerable<(string Name, BepMessage Message)> All() =>
    [
        ("cluster config", ClusterConfig()),
        ("empty cluster config", Messages.ClusterConfig.Empty),
        ("index", Index(update: false)),
        ("index update", Index(update: true)),
        ("empty index", IndexMessage.Full("f1", [])),
        ("request", Request()),
        ("request of size 0", new Request { Folder = "f1", Name = "empty", Hash = EmptyHash }),
        ("response", Response()),
        ("error response", new Response { Id = 3, Code = ErrorCode.Generic }),
        ("download progress", DownloadProgress()),
        ("ping", Ping.Instance),
        ("close", new Close("replacing connection")),
        ("long close", new Close(string.Concat(Enumerable.Repeat("protocol error ", 40)))),
    ];
}
