using System.Security.Cryptography.X509Certificates;
using Lockstep.Integration.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// A configured but hostile peer against a real node over TLS: every violation closes only that connection,
/// with a log line naming the device and what was wrong, while the node goes on serving a well-behaved peer.
/// Not run in parallel with other classes: one test measures the node's allocations.
/// </summary>
[Collection(nameof(HostilePeerTests))]
[CollectionDefinition(nameof(HostilePeerTests), DisableParallelization = true)]
public sealed class HostilePeerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private TestNode _victim = null!, _good = null!;
    private X509Certificate2 _hostileCert = null!;
    private DeviceId _hostile;

    public async Task InitializeAsync()
    {
        _victim = TestNode.Create("victim");
        _good = TestNode.Create("good");
        _hostileCert = DeviceCertificate.Generate();
        _hostile = DeviceCertificate.IdOf(_hostileCert);
        _victim.AddDevice(_good, dial: false);
        _victim.AddDevice(_hostile, "hostile", null);
        _victim.AddFolder("f1", _good.Id, _hostile);
        _good.AddDevice(_victim);
        _good.AddFolder("f1", _victim);
        await _victim.StartAsync();
        await _good.StartAsync();
        await Eventually.TrueAsync(() => _victim.Host.Peers!.Status(_good.Id) is not null, Patience, "the good peer to connect");
    }

    public async Task DisposeAsync()
    {
        await _good.DisposeAsync();
        await _victim.DisposeAsync();
        _hostileCert.Dispose();
    }

    private ClusterConfig SharedF1 => new()
    {
        Folders = [new FolderAnnouncement { Id = "f1", Devices = [new DeviceAnnouncement { Id = _hostile }, new DeviceAnnouncement { Id = _victim.Id }] }],
    };

    private static IndexMessage IndexWith(string folder, string name) => IndexMessage.Full(folder,
    [
        new Lockstep.Protocol.Messages.FileInfo
        {
            Name = name, Size = 1, BlockSize = 131072, Permissions = 0b110_100_100,
            Blocks = [new BlockInfo(0, 1, new byte[32])], Version = VersionVector.Empty.Update(new ShortId(7), 1),
        },
    ]);

    public static TheoryData<string> Attacks() => new()
    {
        "index before cluster config", "oversized message length", "garbage protobuf", "lz4 payload declaring 1 GiB",
        "index for an unshared folder", "name with ..", "absolute name", "unknown compression",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_violation_closes_that_connection_with_the_reason_and_the_node_goes_on(string attack)
    {
        await using (var peer = await ScriptedPeer.ConnectAsync(_hostileCert, _victim.Id, _victim.Address))
        {
            await peer.HelloAsync();
            Assert.IsType<ClusterConfig>(await peer.ReadAsync()); // the node's own ClusterConfig comes first
            if (attack != "index before cluster config")
                await peer.SendAsync(SharedF1);
            switch (attack)
            {
                case "index before cluster config":
                    await peer.SendAsync(IndexWith("f1", "a.txt"));
                    break;
                case "oversized message length":
                    await peer.SendRawAsync([0x00, 0x00, 0x7f, 0xff, 0xff, 0xff]);
                    break;
                case "garbage protobuf":
                    await peer.SendRawAsync([0x00, 0x02, 0x08, 0x01, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff]);
                    break;
                case "lz4 payload declaring 1 GiB":
                    // Header {type INDEX, compression LZ4}, an 8-byte payload: BE length 2^30, then 4 bytes of "block".
                    await peer.SendRawAsync([0x00, 0x04, 0x08, 0x01, 0x10, 0x01, 0x00, 0x00, 0x00, 0x08, 0x40, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00]);
                    break;
                case "index for an unshared folder":
                    await peer.SendAsync(IndexWith("not-shared", "a.txt"));
                    break;
                case "name with ..":
                    await peer.SendAsync(IndexWith("f1", "../../etc/escape"));
                    break;
                case "absolute name":
                    await peer.SendAsync(IndexWith("f1", "/etc/passwd"));
                    break;
                case "unknown compression":
                    await peer.SendRawAsync([0x00, 0x02, 0x10, 0x07, 0x00, 0x00, 0x00, 0x00]);
                    break;
            }
            var close = await peer.ReadUntilClosedAsync();
            Assert.NotNull(close);
            Assert.False(string.IsNullOrWhiteSpace(close.Reason));
        }
        // The log names the device and the violation; nothing reached the folder or the index.
        await Eventually.TrueAsync(() => _victim.Logs.Lines.Any(l => l.Message.Contains(_hostile.ToString()) &&
            (l.Message.Contains("protocol violation") || l.Message.Contains("protocol error") || l.Message.Contains("internal error"))),
            Patience, $"a log line naming the device and the violation\n{_victim.Logs}");
        Assert.Empty(_victim.Host.Index!.Folder("f1").EnumerateRemote(_hostile));
        Assert.False(File.Exists(Path.Combine(_victim.FolderPath("f1"), "..", "..", "etc", "escape")));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_bad_hello_is_refused_and_the_node_goes_on()
    {
        await using (var peer = await ScriptedPeer.ConnectAsync(_hostileCert, _victim.Id, _victim.Address))
        {
            await peer.SendRawAsync([0xde, 0xad, 0xbe, 0xef, 0x00, 0x00]);
            Assert.Null(await peer.ReadUntilClosedAsync() is { } c ? c : null);
        }
        await Eventually.TrueAsync(() => _victim.Logs.Contains("Hello exchange failed"), Patience, _victim.Logs.ToString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_declared_but_unsent_length_does_not_allocate_it()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var peer = await ScriptedPeer.ConnectAsync(_hostileCert, _victim.Id, _victim.Address))
        {
            await peer.HelloAsync();
            await peer.ReadAsync();
            await peer.SendAsync(SharedF1);
            // An IndexUpdate declaring 60 MB (under the 64 MiB limit), of which 256 KiB arrive, then the peer hangs up.
            var frame = new byte[2 + 2 + 4 + 256 * 1024];
            frame[1] = 0x02; frame[2] = 0x08; frame[3] = 0x02;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), 60_000_000);
            await peer.SendRawAsync(frame);
            await peer.FinishWritingAsync();
            await Eventually.TrueAsync(() => _victim.Logs.Contains("in the middle of a frame"), Patience, _victim.Logs.ToString());
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 24_000_000, $"the node allocated {allocated / 1e6:F1} MB for a 60 MB message that never came");
        await AssertStillServingAsync();
    }

    /// <summary>The well-behaved peer still gets the victim's changes.</summary>
    private async Task AssertStillServingAsync()
    {
        var name = $"after-{Guid.NewGuid():N}.txt";
        File.WriteAllText(Path.Combine(_victim.FolderPath("f1"), name), "still here");
        await Eventually.TrueAsync(() => _good.Host.Index!.Folder("f1").GetRemote(_victim.Id, name) is not null, Patience,
            $"the good peer to receive {name}\n{_victim.Logs}");
        Assert.NotNull(_victim.Host.Peers!.Status(_good.Id));
    }
}
