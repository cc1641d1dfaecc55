using System.Security.Cryptography;
using Lockstep.FileSystem.Ignore;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;

namespace Lockstep.Sync.Tests.Exchange;

/// <summary>A scanned folder with a real index, its RequestServer, and the names the server asked to rescan.</summary>
public abstract class RequestServerTestBase : IDisposable
{
    protected const int BlockSize = 128 * 1024;

    private readonly List<string> _rescans = [];

    private protected RequestServerTestBase()
    {
        Server = new RequestServer(F.Folder.Path, F.Index, () => Ignores, name => { lock (_rescans) _rescans.Add(name); });
    }

    private protected SyncFixture F { get; } = new();

    protected RequestServer Server { get; }

    /// <summary>What the server's ignore provider answers; tests swap it to ignore files after they were indexed.</summary>
    protected IgnoreMatcher Ignores { get; set; } = IgnoreMatcher.Empty;

    protected IReadOnlyList<string> Rescans
    {
        get
        {
            lock (_rescans)
                return [.. _rescans];
        }
    }

    public void Dispose()
    {
        F.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Two blocks: a full 128 KiB one and a 1,000-byte tail, random so that no block repeats.</summary>
    protected static byte[] TwoBlocks() => RandomNumberGenerator.GetBytes(BlockSize + 1000);

    protected async Task<FileInfo> WriteAndScanAsync(string name, byte[] content)
    {
        F.Folder.Write(name, content);
        await F.ScanAsync();
        var indexed = F.Index.GetLocal(name);
        Assert.NotNull(indexed);
        Assert.Equal(content.Length, indexed.Size); // the scan really recorded this content
        return indexed;
    }

    protected static Request RequestFor(FileInfo file, int blockNo) => new()
    {
        Id = 42,
        Folder = "f1",
        Name = file.Name,
        Offset = file.Blocks[blockNo].Offset,
        Size = file.Blocks[blockNo].Size,
        Hash = file.Blocks[blockNo].Hash,
        BlockNo = blockNo,
    };

    protected Task<Response> ServeAsync(Request request) => Server.ServeAsync(request, CancellationToken.None).AsTask();

    protected static void AssertRefused(ErrorCode expected, Response response)
    {
        Assert.Equal(expected, response.Code);
        Assert.True(response.Data.IsEmpty);
    }

    /// <summary>A regular file's FileInfo with the true blocks of <paramref name="content"/> (under one block).</summary>
    protected static FileInfo RegularFile(string name, byte[] content) => new()
    {
        Name = name,
        Type = FileInfoType.File,
        Size = content.Length,
        BlockSize = BlockSize,
        Blocks = [new BlockInfo(0, content.Length, SHA256.HashData(content))],
        Version = VersionVector.Empty.Update(SyncFixture.Me, 1),
        ModifiedBy = SyncFixture.Me,
    };
}
