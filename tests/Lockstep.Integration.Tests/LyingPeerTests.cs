using System.Security.Cryptography;
using Lockstep.Integration.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// A peer that announces a file and then serves bytes that do not match its block hashes: the node never writes
/// them to the target, reports the file with a clear error, retries with backoff, and takes the file once the
/// peer serves the right bytes.
/// </summary>
public sealed class LyingPeerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestNode _node = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _cert = null!;
    private DeviceId _liar;

    public async Task InitializeAsync()
    {
        _node = TestNode.Create("victim");
        _cert = DeviceCertificate.Generate();
        _liar = DeviceCertificate.IdOf(_cert);
        _node.AddDevice(_liar, "liar", null);
        _node.AddFolder("f", _liar);
        await _node.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _cert.Dispose();
    }

    [Fact]
    public async Task Blocks_that_fail_their_hash_are_never_written_and_the_file_is_retried()
    {
        var truth = RandomNumberGenerator.GetBytes(100_000);
        var file = new Lockstep.Protocol.Messages.FileInfo
        {
            Name = "lie.bin", Size = truth.Length, BlockSize = 131072, Permissions = 0x1A4, ModifiedS = 1_700_000_000,
            Blocks = [new BlockInfo(0, truth.Length, SHA256.HashData(truth))], Version = VersionVector.Empty.Update(_liar.Short, 1_700_000_000),
            ModifiedBy = _liar.Short,
        };
        await using var peer = await ScriptedPeer.ConnectAsync(_cert, _node.Id, _node.Address);
        await peer.HelloAsync();
        Assert.IsType<ClusterConfig>(await peer.ReadAsync());
        await peer.SendAsync(new ClusterConfig
        {
            Folders = [new FolderAnnouncement { Id = "f", Devices = [new DeviceAnnouncement { Id = _liar }, new DeviceAnnouncement { Id = _node.Id }] }],
        });
        await peer.SendAsync(IndexMessage.Full("f", [file]));

        int lies = 0;
        var runner = _node.Host.Runners[0];
        var target = Path.Combine(_node.FolderPath("f"), "lie.bin");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the node should retry and then take the file; {lies} lies told");
            var message = await peer.ReadAsync(TimeSpan.FromSeconds(30));
            if (message is not Request request)
                continue;
            Assert.Equal("lie.bin", request.Name);
            if (lies < 2)
            {
                // Wrong bytes of the right length: only the hash can tell.
                await peer.SendAsync(new Response { Id = request.Id, Data = RandomNumberGenerator.GetBytes(request.Size) });
                lies++;
                await Eventually.TrueAsync(() => runner.PullErrors.Any(e => e.Name == "lie.bin"), Patience, "the node to report the file");
                Assert.Contains("SHA-256", runner.PullErrors.First(e => e.Name == "lie.bin").Message);
                Assert.False(File.Exists(target), "bytes that failed their hash reached the target");
                continue;
            }
            await peer.SendAsync(new Response { Id = request.Id, Data = truth });
            break;
        }
        await Eventually.TrueAsync(() => File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(truth), Patience, "the true bytes to arrive");
        Assert.Equal(2, lies); // asked again after each failure: retried, not given up
    }
}
