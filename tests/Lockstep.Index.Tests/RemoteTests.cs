using Lockstep.Index.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class RemoteTests
{
    private static readonly DeviceId Peer = Device(0xA1);
    private static readonly DeviceId Other = Device(0x0B);

    private static FileInfo Announced(string name, long sequence, int seed = 1) => File(name, seed) with { Sequence = sequence };

    [Fact]
    public void UpdateRemote_upserts_by_name_and_keeps_the_rest()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.UpdateRemote(Peer, [Announced("a", 1), Announced("b", 2)]);

        folder.UpdateRemote(Peer, [Announced("b", 3, seed: 9), Announced("c", 4)]);

        Assert.Equal([("a", 1L), ("b", 3L), ("c", 4L)], folder.EnumerateRemote(Peer).Select(f => (f.Name, f.Sequence)));
        Assert.Equal(Hash(9), folder.GetRemote(Peer, "b")!.Blocks[0].Hash);
        Assert.Equal(4, folder.GetRemoteState(Peer).MaxSequence);
    }

    [Fact]
    public void ReplaceRemote_drops_everything_the_device_announced_before()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.UpdateRemote(Peer, [Announced("a", 1), Announced("b", 2)]);
        folder.UpdateRemote(Other, [Announced("a", 1)]);

        folder.ReplaceRemote(Peer, [Announced("c", 1)]);

        Assert.Equal(["c"], folder.EnumerateRemote(Peer).Select(f => f.Name));
        Assert.Null(folder.GetRemote(Peer, "a"));
        Assert.Equal(1, folder.GetRemoteState(Peer).MaxSequence); // a full index restarts what we hold
        Assert.Equal(["a"], folder.EnumerateRemote(Other).Select(f => f.Name));
    }

    [Fact]
    public void The_max_sequence_received_only_grows_with_updates()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.UpdateRemote(Peer, [Announced("a", 10), Announced("b", 7)]);

        folder.UpdateRemote(Peer, [Announced("c", 3)]);

        Assert.Equal(10, folder.GetRemoteState(Peer).MaxSequence);
        Assert.Equal(3, folder.GetRemote(Peer, "c")!.Sequence);
    }

    [Fact]
    public void SetRemoteIndexId_with_a_new_id_drops_the_devices_files_and_restarts_its_sequence()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.SetRemoteIndexId(Peer, 0x8000_0000_0000_0042);
        folder.UpdateRemote(Peer, [Announced("a", 5)]);
        folder.SetRemoteIndexId(Other, 7);
        folder.UpdateRemote(Other, [Announced("o", 3)]);

        folder.SetRemoteIndexId(Peer, 0x8000_0000_0000_0042); // unchanged: keeps everything
        Assert.Equal((0x8000_0000_0000_0042UL, 5L), folder.GetRemoteState(Peer));
        Assert.NotNull(folder.GetRemote(Peer, "a"));

        folder.SetRemoteIndexId(Peer, 99);

        Assert.Equal((99UL, 0L), folder.GetRemoteState(Peer));
        Assert.Empty(folder.EnumerateRemote(Peer));
        Assert.Equal((7UL, 3L), folder.GetRemoteState(Other));
        Assert.Equal(["o"], folder.EnumerateRemote(Other).Select(f => f.Name));
        Assert.Equal((99UL, 0L), temp.Reopen().Folder("f").GetRemoteState(Peer));
    }

    [Fact]
    public void Every_field_of_a_remote_file_round_trips()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var file = new FileInfo
        {
            Name = "sub/ñ.bin",
            Type = FileInfoType.File,
            Size = 1,
            Permissions = 0b100_000_000,
            ModifiedS = 1,
            ModifiedNs = 999_999_999,
            Deleted = true,
            Invalid = true,
            NoPermissions = true,
            Version = VersionVector.From([new Counter(new ShortId(ulong.MaxValue), ulong.MaxValue - 3)]),
            Sequence = long.MaxValue,
            ModifiedBy = new ShortId(ulong.MaxValue),
            BlockSize = 128 * 1024,
            Blocks = [new BlockInfo(0, 1, Hash(3), 0xDEADBEEF)],
            SymlinkTarget = "t",
        };

        folder.UpdateRemote(Peer, [file]);

        AssertSameFile(file, folder.GetRemote(Peer, file.Name));
        AssertSameFile(file, temp.Reopen().Folder("f").EnumerateRemote(Peer).Single());
        Assert.Empty(temp.Db.Folder("f").FindBlock(Hash(3))); // remote blocks are not local blocks
    }

    [Fact]
    public void Unknown_devices_have_no_state_and_no_files()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        Assert.Equal((0UL, 0L), folder.GetRemoteState(Peer));
        Assert.Null(folder.GetRemote(Peer, "a"));
        Assert.Empty(folder.EnumerateRemote(Peer));
        Assert.Empty(folder.RemoteDevices());
    }

    [Fact]
    public void RemoteDevices_lists_the_devices_heard_from_for_this_folder()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.UpdateRemote(Peer, [Announced("a", 1)]);
        folder.SetRemoteIndexId(Other, 3);
        temp.Db.Folder("g").SetRemoteIndexId(Device(0xFF), 4);

        Assert.Equal([Other, Peer], folder.RemoteDevices()); // byte order: 0x0B… before 0xA1…
    }

    [Fact]
    public void Remote_files_are_per_folder()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("one").UpdateRemote(Peer, [Announced("a", 1)]);
        temp.Db.Folder("two").ReplaceRemote(Peer, [Announced("b", 1)]);

        Assert.Equal(["a"], temp.Db.Folder("one").EnumerateRemote(Peer).Select(f => f.Name));
        Assert.Equal(["b"], temp.Db.Folder("two").EnumerateRemote(Peer).Select(f => f.Name));
    }
}
