using System.Security.Cryptography;
using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// A Lockstep node and Debian's real Syncthing 1.19 on 127.0.0.1 (bep-v1.md §6.1): handshake in both dial
/// directions, Syncthing's full index of a 1,000-file folder received and matching its disk, our index received
/// by Syncthing, and Syncthing pulling a file from us through our Request server.
/// </summary>
public sealed class SyncthingIndexExchangeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(true, SyncthingCompression.Never)]
    [InlineData(false, SyncthingCompression.Metadata)]
    public async Task Indexes_flow_both_ways_and_syncthing_pulls_a_file_from_us(bool lockstepDials, SyncthingCompression compression)
    {
        using var dir = new TempDirectory("interop");
        var stHome = dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = dir.Combine("st-f1");
        var expected = WriteTree(stFolder);

        await using var ls = TestNode.Create("ls");
        var stPort = FreePort.Next();
        ls.AddDevice(stId, "st", lockstepDials ? $"tcp://127.0.0.1:{stPort}" : null,
            compression == SyncthingCompression.Never ? Compression.Never : Compression.Metadata);
        ls.AddFolder("f1", stId);
        var ours = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("served by lockstep. ", 20_000)));
        File.WriteAllBytes(Path.Combine(ls.FolderPath("f1"), "from-lockstep.bin"), ours); // 400 KB: several blocks

        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Home = stHome,
            ListenPort = stPort,
            Folders = [new SyncthingFolder("f1") { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString())
            {
                Name = "ls", Addresses = lockstepDials ? ["dynamic"] : [ls.Address], Compression = compression,
            }],
        });
        await ls.StartAsync();

        // Handshake: Syncthing reports us connected with TLS 1.3 and our client name.
        var connection = await st.WaitForConnectionAsync(ls.Id.ToString(), Patience);
        Assert.StartsWith("TLS1.3", connection.Crypto);
        Assert.Contains("lockstep", connection.ClientVersion);
        Assert.Equal(lockstepDials ? "tcp-server" : "tcp-client", connection.Type);

        // Syncthing's full index arrives and matches its disk: names, sizes, block hashes.
        var remote = () => ls.Host.Index!.Folder("f1").EnumerateRemote(stId).Where(f => !f.Deleted).ToDictionary(f => f.Name);
        // Every item of Syncthing's tree (once it has pulled our file it announces that too, so not "exactly").
        await Eventually.TrueAsync(() => remote() is var r && expected.Keys.All(r.ContainsKey), Patience,
            $"Syncthing's {expected.Count} items in our index (have {remote().Count})\n--- lockstep\n{ls.Logs}\n--- syncthing\n{st.LogTail(200)}");
        var index = remote();
        foreach (var (name, blocks) in expected)
        {
            var f = index[name];
            if (blocks is null)
            {
                Assert.True(f.IsDirectory, name);
                continue;
            }
            Assert.Equal(blocks.Sum(b => (long)b.Length), f.Size);
            Assert.Equal(blocks.Select(b => Convert.ToHexString(SHA256.HashData(b))), f.Blocks.Select(b => Convert.ToHexString(b.Hash)));
        }

        // Syncthing receives our index and pulls our file: every block served by us, checked by Syncthing.
        var pulled = Path.Combine(stFolder, "from-lockstep.bin");
        await Eventually.TrueAsync(() => File.Exists(pulled) && new System.IO.FileInfo(pulled).Length == ours.Length, Patience,
            $"Syncthing to pull from-lockstep.bin from us\n{st.LogTail()}");
        Assert.Equal(ours, File.ReadAllBytes(pulled));
        var seen = await st.Rest.GetFileAsync("f1", "from-lockstep.bin");
        Assert.Equal(ls.Id.Short.ToString(), seen!.Global!.ModifiedBy);
        Assert.False(ls.Logs.Contains("protocol violation"), ls.Logs.ToString());
    }

    /// <summary>1,000 files in 10 directories (some multi-block, one empty); returns each item's 128 KiB blocks (null for a directory).</summary>
    private static Dictionary<string, List<byte[]>?> WriteTree(string root)
    {
        var items = new Dictionary<string, List<byte[]>?>();
        var random = new Random(42);
        for (int d = 0; d < 10; d++)
        {
            var dirName = $"d{d}";
            Directory.CreateDirectory(Path.Combine(root, dirName));
            items[dirName] = null;
            for (int i = 0; i < 100; i++)
            {
                int size = (d, i) switch { (0, 0) => 0, (1, 1) => 300_000, (2, 2) => 131_072, _ => 200 + random.Next(2000) };
                var data = new byte[size];
                random.NextBytes(data);
                var name = $"{dirName}/file {i}.dat";
                File.WriteAllBytes(Path.Combine(root, dirName, $"file {i}.dat"), data);
                var blocks = new List<byte[]>();
                for (int off = 0; off < size || (size == 0 && off == 0); off += 131_072)
                {
                    blocks.Add(data.AsSpan(off, Math.Min(131_072, size - off)).ToArray());
                    if (size == 0)
                        break;
                }
                items[name] = blocks;
            }
        }
        return items;
    }
}
