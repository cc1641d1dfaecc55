using Lockstep.Protocol.Messages;
using Lockstep.Protocol.Validation;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class FileInfoValidationTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    public sealed record Case(string Description, FileInfo File, ProtocolError? Error, string? Field)
    {
        public override string ToString() => Description;
    }

    private static FileInfo File => WireSamples.File("f", blocks: 3, lastBlock: 1000);

    private static FileInfo WithBlock(FileInfo file, int index, Func<BlockInfo, BlockInfo> change) =>
        file with { Blocks = file.Blocks.SetItem(index, change(file.Blocks[index])) };

    public static TheoryData<Case> Cases() => new()
    {
        new("a regular file with blocks", File, null, null),
        new("a file of exactly one full block", WireSamples.File("f", blocks: 1, lastBlock: 131072), null, null),
        new("a file with 16 MiB blocks", WireSamples.File("f", blocks: 2, blockSize: 16 << 20, lastBlock: 1), null, null),
        new("the empty file: one block of size 0", WireSamples.EmptyFile("e"), null, null),
        new("a directory", WireSamples.Directory("d"), null, null),
        new("a symlink", WireSamples.Symlink("l", "t"), null, null),
        new("a tombstone", WireSamples.Tombstone("t"), null, null),
        new("a deleted directory", WireSamples.Directory("d") with { Deleted = true }, null, null),
        new("an invalid file without blocks", File with { Invalid = true, Blocks = [] }, null, null),
        new("an invalid file with odd blocks is not pulled, so not checked", WithBlock(File with { Invalid = true }, 0, b => b with { Size = 5 }), null, null),
        new("an empty file without its block", WireSamples.EmptyFile("e") with { Blocks = [] },
            ProtocolError.InvalidFileInfo, "file with empty block list"),
        new("a file without blocks", File with { Blocks = [] }, ProtocolError.InvalidFileInfo, "file with empty block list"),
        new("a deleted file with blocks", File with { Deleted = true }, ProtocolError.InvalidFileInfo, "deleted file with non-empty block list"),
        new("a directory with blocks", WireSamples.Directory("d") with { Blocks = File.Blocks },
            ProtocolError.InvalidFileInfo, "directory with non-empty block list"),
        new("a symlink with blocks", WireSamples.Symlink("l", "t") with { Blocks = File.Blocks },
            ProtocolError.InvalidFileInfo, "symlink with non-empty block list"),
        new("an unknown type", WireSamples.Directory("d") with { Type = (FileInfoType)9 }, ProtocolError.InvalidFileInfo, "type: unknown value 9"),
        new("a negative size", WireSamples.Tombstone("t") with { Size = -1 }, ProtocolError.InvalidFileInfo, "size: negative"),
        new("a block hash that is not SHA-256", WithBlock(File, 1, b => b with { Hash = new byte[20] }),
            ProtocolError.InvalidFileInfo, "blocks[1].hash: 20 bytes"),
        new("a gap between blocks", WithBlock(File, 2, b => b with { Offset = b.Offset + 1 }),
            ProtocolError.InvalidFileInfo, "blocks[2].offset: 262145, expected 262144"),
        new("a short block before the last", WithBlock(File, 0, b => b with { Size = 1000 }),
            ProtocolError.InvalidFileInfo, "blocks[0].size: 1000, expected block_size 131072"),
        new("a last block longer than block_size", WireSamples.File("f", blocks: 2, lastBlock: 131073),
            ProtocolError.InvalidFileInfo, "blocks[1].size: 131073"),
        new("a zero-size block in a non-empty file", WireSamples.File("f", blocks: 2, lastBlock: 0) with { Size = 131072 },
            ProtocolError.InvalidFileInfo, "blocks[1].size: 0"),
        new("a size the blocks do not cover", File with { Size = 5 }, ProtocolError.InvalidFileInfo, "size: 5, but the blocks cover 263144 bytes"),
        new("a block size that is not a power of two", File with { BlockSize = 100_000 }, ProtocolError.InvalidFileInfo, "block_size: 100000"),
        new("a block size below 128 KiB", WireSamples.File("f", blocks: 1, blockSize: 4096, lastBlock: 10), ProtocolError.InvalidFileInfo, "block_size: 4096"),
        new("an empty file with a block of size 1", WireSamples.EmptyFile("e") with { Blocks = [new BlockInfo(0, 1, WireSamples.EmptyHash)] },
            ProtocolError.InvalidFileInfo, "an empty file has exactly one block"),
        new("an empty file with two blocks", WireSamples.EmptyFile("e") with { Blocks = [new BlockInfo(0, 0, WireSamples.EmptyHash), new BlockInfo(0, 0, WireSamples.EmptyHash)] },
            ProtocolError.InvalidFileInfo, "an empty file has exactly one block"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kind_rules(Case c)
    {
        var index = IndexMessage.Full("f1", [c.File]);
        if (c.Error is null)
        {
            InboundValidator.Validate(index, Limits);
            return;
        }
        var e = Assert.Throws<ProtocolException>(() => InboundValidator.Validate(index, Limits));
        Assert.Equal(c.Error, e.Error);
        Assert.StartsWith($"index for f1: \"{c.File.Name}\": ", e.Message);
        Assert.Contains(c.Field!, e.Message);
    }

    [Fact]
    public void More_blocks_than_the_limit_are_refused_before_they_are_looked_at()
    {
        var limits = new ProtocolLimits { MaxBlocksPerFile = 2 };
        var file = File with { Blocks = File.Blocks.SetItem(0, File.Blocks[0] with { Hash = [] }) };   // would fail later

        var e = Assert.Throws<ProtocolException>(() => InboundValidator.Validate(IndexMessage.Full("f1", [file]), limits));
        Assert.Equal(ProtocolError.TooManyBlocks, e.Error);
        Assert.Contains("blocks: 3 blocks exceed the limit of 2", e.Message);

        InboundValidator.Validate(IndexMessage.Full("f1", [WireSamples.File("f", blocks: 2)]), limits);
    }

    [Fact]
    public void Every_sample_message_passes()
    {
        foreach (var (_, message) in WireSamples.All())
            InboundValidator.Validate(message, Limits);
    }
}
