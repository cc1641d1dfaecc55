using System.Security.Cryptography;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;

namespace Lockstep.Sync.Tests.Exchange;

public sealed class IndexReceiverTests : IDisposable
{
    private static readonly DeviceId Peer = Device(0xAB);
    private static readonly DeviceId Other = Device(0xCD);

    private readonly SyncFixture _f = new();
    private readonly IndexReceiver _receiver;

    public IndexReceiverTests() => _receiver = new IndexReceiver(_f.Index);

    public void Dispose() => _f.Dispose();

    private static DeviceId Device(byte fill)
    {
        var bytes = new byte[DeviceId.Length];
        Array.Fill(bytes, fill);
        return new DeviceId(bytes);
    }

    private static FileInfo Remote(string name, long sequence, string content = "x") => new()
    {
        Name = name,
        Type = FileInfoType.File,
        Size = content.Length,
        BlockSize = 128 * 1024,
        Blocks = [new BlockInfo(0, content.Length, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)))],
        Version = VersionVector.Empty.Update(Peer.Short, (ulong)sequence),
        ModifiedBy = Peer.Short,
        Sequence = sequence,
    };

    private static IndexMessage Index(params FileInfo[] files) => IndexMessage.Full("f1", [.. files]);

    private static IndexMessage Update(params FileInfo[] files) => IndexMessage.Update("f1", [.. files]);

    private List<string> Names(DeviceId device) => _f.Index.EnumerateRemote(device).Select(f => f.Name).ToList();

    [Fact]
    public void An_index_replaces_everything_the_device_announced_and_an_update_adds_or_replaces()
    {
        var first = _receiver.Apply(Peer, Index(Remote("a", 1), Remote("b", 2)));
        Assert.Equal(new IndexReceipt(2, 2), first);
        Assert.Equal(["a", "b"], Names(Peer));

        var update = _receiver.Apply(Peer, Update(Remote("b", 3, "b2"), Remote("c", 4)));
        Assert.Equal(new IndexReceipt(2, 4), update);
        Assert.Equal(["a", "b", "c"], Names(Peer));
        Assert.Equal(3, _f.Index.GetRemote(Peer, "b")!.Sequence);
        Assert.Equal(2, _f.Index.GetRemote(Peer, "b")!.Size);

        // A second Index drops what the first one and the update brought (bep-v1.md §5.3).
        var again = _receiver.Apply(Peer, Index(Remote("d", 1)));
        Assert.Equal(new IndexReceipt(1, 1), again);
        Assert.Equal(["d"], Names(Peer));
    }

    [Fact]
    public void The_receipt_carries_the_highest_sequence_received_so_far()
    {
        _receiver.Apply(Peer, Index(Remote("a", 5)));
        // An update of lower sequences (a resend) does not move it back.
        Assert.Equal(new IndexReceipt(1, 5), _receiver.Apply(Peer, Update(Remote("b", 3))));
        Assert.Equal(new IndexReceipt(0, 5), _receiver.Apply(Peer, Update()));
        Assert.Equal(5, _f.Index.GetRemoteState(Peer).MaxSequence);
    }

    [Fact]
    public void Devices_are_kept_apart()
    {
        _receiver.Apply(Peer, Index(Remote("a", 1)));
        _receiver.Apply(Other, Index(Remote("z", 1)));
        _receiver.Apply(Peer, Index(Remote("b", 2)));
        Assert.Equal(["b"], Names(Peer));
        Assert.Equal(["z"], Names(Other));
    }

    [Fact]
    public void A_new_index_id_drops_the_devices_files_and_the_same_one_keeps_them()
    {
        Assert.True(_receiver.ApplyClusterConfigState(Peer, 0x1122334455667788)); // first sight: stored 0 → new ID
        _receiver.Apply(Peer, Index(Remote("a", 1), Remote("b", 2)));
        _receiver.Apply(Other, Index(Remote("z", 7)));

        Assert.False(_receiver.ApplyClusterConfigState(Peer, 0x1122334455667788));
        Assert.Equal(["a", "b"], Names(Peer));
        Assert.Equal((0x1122334455667788UL, 2L), _f.Index.GetRemoteState(Peer));

        Assert.True(_receiver.ApplyClusterConfigState(Peer, 0x99));
        Assert.Empty(Names(Peer));
        Assert.Equal((0x99UL, 0L), _f.Index.GetRemoteState(Peer));
        Assert.Equal(["z"], Names(Other)); // only that device restarted
        Assert.Equal(7, _f.Index.GetRemoteState(Other).MaxSequence);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a\\b")]
    [InlineData("e\u0301")] // NFD
    public void A_message_with_one_bad_name_is_refused_whole_and_writes_nothing(string bad)
    {
        _receiver.Apply(Peer, Index(Remote("kept", 1)));

        foreach (var message in new[] { Update(Remote("good", 2), Remote(bad, 3)), Index(Remote("good", 2), Remote(bad, 3)) })
        {
            var e = Assert.Throws<ExchangeException>(() => _receiver.Apply(Peer, message));
            Assert.Equal(ExchangeError.InvalidName, e.Error);
            Assert.Contains(Peer.ToString(), e.Message);
            Assert.Contains("'f1'", e.Message);
            Assert.Contains(bad, e.Message);
            Assert.Equal(Peer.ToString(), e.Device);
            Assert.Equal("f1", e.FolderId);
        }
        // Neither the good file of the update was stored nor did the refused Index drop anything.
        Assert.Equal(["kept"], Names(Peer));
        Assert.Equal(1, _f.Index.GetRemoteState(Peer).MaxSequence);
    }

    [Fact]
    public void A_message_for_another_folder_is_refused()
    {
        _receiver.Apply(Peer, Index(Remote("kept", 1)));
        var e = Assert.Throws<ExchangeException>(() => _receiver.Apply(Peer, IndexMessage.Full("f2", [Remote("x", 2)])));
        Assert.Equal(ExchangeError.WrongFolder, e.Error);
        Assert.Contains("'f2'", e.Message);
        Assert.Equal(["kept"], Names(Peer));
    }
}
