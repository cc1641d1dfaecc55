using Google.Protobuf;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Protocol.Wire;
using W = Lockstep.Protocol.Wire;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class FileInfoWireTests
{
    private static int[] FieldNumbers(byte[] message)
    {
        var fields = new SortedSet<int>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            fields.Add(WireFormat.GetTagFieldNumber(tag));
            input.SkipLastField();
        }
        return [.. fields];
    }

    private static FileInfo Sample(string kind) => kind switch
    {
        "file" => WireSamples.File("a.txt"),
        "empty file" => WireSamples.EmptyFile("e"),
        "directory" => WireSamples.Directory("d"),
        "symlink" => WireSamples.Symlink("l", "t"),
        "tombstone" => WireSamples.Tombstone("gone"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // bep-v1.md §8 lists the fields Syncthing sends per kind; we send the same, except blocks_hash (18),
    // which we leave empty because the receiver recomputes it.
    [Theory]
    [InlineData("file", new[] { 1, 3, 4, 5, 9, 10, 11, 12, 13, 16 })]
    [InlineData("empty file", new[] { 1, 4, 5, 9, 10, 11, 12, 13, 16 })]
    [InlineData("directory", new[] { 1, 2, 4, 5, 9, 10, 11, 12 })]
    [InlineData("symlink", new[] { 1, 2, 8, 9, 10, 12, 17 })]
    [InlineData("tombstone", new[] { 1, 4, 5, 6, 9, 10, 12 })]
    public void Each_kind_sends_the_fields_syncthing_sends(string kind, int[] expected)
    {
        Assert.Equal(expected, FieldNumbers(Sample(kind).ToWire().ToByteArray()));
    }

    [Fact]
    public void Weak_hashes_go_out_as_zero()
    {
        var file = WireSamples.File("a", blocks: 1, lastBlock: 7);
        file = file with { Blocks = [file.Blocks[0] with { WeakHash = 173081117 }] };

        var block = file.ToWire().Blocks.Single();
        Assert.Equal(0u, block.WeakHash);
        Assert.Equal([2, 3], FieldNumbers(block.ToByteArray()));   // offset 0 and weak hash 0 are omitted
    }

    [Fact]
    public void A_received_weak_hash_is_kept()
    {
        var wire = WireSamples.File("a", blocks: 1, lastBlock: 7).ToWire();
        wire.Blocks[0].WeakHash = 173081117;
        Assert.Equal(173081117u, FileInfoWire.FromWire(wire).Blocks[0].WeakHash);
    }

    [Fact]
    public void An_empty_version_is_still_sent_as_syncthing_does()
    {
        var file = WireSamples.Directory("d") with { Version = VersionVector.Empty };
        var bytes = file.ToWire().ToByteArray();
        Assert.Contains("4a00", Hex.Of(bytes));
        Assert.Equal(VersionVector.Empty, FileInfoWire.FromWire(FileInfoWire.ToWire(file)).Version);
    }

    [Fact]
    public void Ids_above_two_to_the_63_stay_unsigned()
    {
        var file = WireSamples.Directory("d") with
        {
            ModifiedBy = WireSamples.High,
            Version = WireSamples.Version((new ShortId(1), 5), (WireSamples.High, ulong.MaxValue)),
        };
        var wire = file.ToWire();
        Assert.Equal(0xF123_4567_89AB_CDEFUL, wire.ModifiedBy);
        Assert.Equal([1UL, 0xF123_4567_89AB_CDEFUL], wire.Version.Counters.Select(c => c.Id));

        var back = FileInfoWire.FromWire(W.FileInfo.Parser.ParseFrom(wire.ToByteArray()));
        Assert.Equal(file, back);
    }

    [Fact]
    public void Counters_received_out_of_order_are_sorted_unsigned()
    {
        var wire = WireSamples.Directory("d").ToWire();
        wire.Version = new Vector();
        wire.Version.Counters.Add(new W.Counter { Id = 0xF000_0000_0000_0000UL, Value = 1 });
        wire.Version.Counters.Add(new W.Counter { Id = 2, Value = 3 });

        var version = FileInfoWire.FromWire(wire).Version;
        Assert.Equal([2UL, 0xF000_0000_0000_0000UL], version.Counters.Select(c => c.Id.Value));
    }

    [Fact]
    public void Newer_and_database_only_fields_are_skipped_and_never_sent()
    {
        var file = WireSamples.File("a.txt");
        var sent = file.ToWire().ToByteArray();
        // platform (14), blocks_hash (18), encrypted (19), local_flags (1000), version_hash (1001)
        var extra = Hex.Bytes("72 02 0801 | 92 01 03 616263 | 9a 01 01 ff | c0 3e 05 | ca 3e 02 abcd");
        var received = sent.Concat(extra).ToArray();

        var decoded = FileInfoWire.FromWire(W.FileInfo.Parser.ParseFrom(received));

        Assert.Equal(file, decoded);
        Assert.Equal(Hex.Of(sent), Hex.Of(decoded.ToWire().ToByteArray()));
    }

    [Fact]
    public void Blocks_without_a_block_size_were_cut_at_128_kib()
    {
        var wire = WireSamples.File("old", blocks: 2).ToWire();
        wire.BlockSize = 0;
        Assert.Equal(131072, FileInfoWire.FromWire(wire).BlockSize);

        var directory = WireSamples.Directory("d").ToWire();
        Assert.Equal(0, FileInfoWire.FromWire(directory).BlockSize);
    }

    [Fact]
    public void The_empty_file_block_is_offset_0_size_0_hash_of_nothing()
    {
        var block = WireSamples.EmptyFile("e").ToWire().Blocks.Single();
        Assert.Equal("1a20e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Of(block.ToByteArray()));
    }
}
