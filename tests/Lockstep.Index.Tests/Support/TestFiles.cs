using System.Collections.Immutable;
using System.Security.Cryptography;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Index.Tests.Support;

/// <summary>FileInfos and device IDs for tests, with content identified by small integer seeds.</summary>
internal static class TestFiles
{
    public const int BlockSize = 128 * 1024;

    public static readonly ShortId Me = new(0x1111_2222_3333_4444);

    /// <summary>A SHA-256 that stands for "content number <paramref name="seed"/>".</summary>
    public static byte[] Hash(int seed) => SHA256.HashData(BitConverter.GetBytes(seed));

    /// <summary>A regular file whose blocks have the contents named by the seeds, in order.</summary>
    public static FileInfo File(string name, params int[] blockSeeds) => new()
    {
        Name = name,
        Type = FileInfoType.File,
        Size = (long)BlockSize * blockSeeds.Length,
        Permissions = 0b110_100_100,
        ModifiedS = 1_700_000_000,
        ModifiedNs = 123_456_789,
        Version = VersionVector.From([new Counter(Me, 1)]),
        ModifiedBy = Me,
        BlockSize = BlockSize,
        Blocks = blockSeeds.Select((seed, i) => new BlockInfo((long)i * BlockSize, BlockSize, Hash(seed), (uint)seed)).ToImmutableArray(),
    };

    public static FileInfo Dir(string name) => new()
    {
        Name = name,
        Type = FileInfoType.Directory,
        Permissions = 0b111_101_101,
        Version = VersionVector.From([new Counter(Me, 1)]),
        ModifiedBy = Me,
    };

    public static FileInfo Symlink(string name, string target) => new()
    {
        Name = name,
        Type = FileInfoType.Symlink,
        SymlinkTarget = target,
        Version = VersionVector.From([new Counter(Me, 1)]),
        ModifiedBy = Me,
    };

    /// <summary>The tombstone of an entry: deleted, no blocks, version bumped.</summary>
    public static FileInfo Tombstone(FileInfo of) => of with
    {
        Deleted = true,
        Size = 0,
        Blocks = ImmutableArray<BlockInfo>.Empty,
        Version = of.Version.Update(Me, of.Version[Me] + 1),
    };

    public static LocalFile Local(this FileInfo info, ulong inode = 0) => new(info, inode);

    public static IReadOnlyList<LocalFile> Locals(params FileInfo[] infos) => infos.Select(i => i.Local()).ToList();

    public static DeviceId Device(byte fill)
    {
        var bytes = new byte[DeviceId.Length];
        Array.Fill(bytes, fill);
        return new DeviceId(bytes);
    }

    /// <summary>Asserts every field is equal, the block list element by element (records compare arrays by reference).</summary>
    public static void AssertSameFile(FileInfo expected, FileInfo? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Blocks = actual.Blocks }, actual);
        Assert.Equal(expected.Blocks.AsEnumerable(), actual.Blocks.AsEnumerable());
    }
}
