using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>The SyncMesh-shaped /api/v1/ paths over real HTTP, answered with real data from a syncing pair.</summary>
public sealed class MeshApiTests : ApiPairTests
{
    [Fact]
    public async Task Health_info_cluster_and_files_describe_the_pair()
    {
        using var anonymous = Client(A, key: null);
        var health = await anonymous.GetFromJsonAsync<JsonElement>("api/v1/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.StartsWith("v", health.GetProperty("version").GetString());
        Assert.True(health.GetProperty("uptimeSeconds").GetInt64() >= 0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/info")).StatusCode);

        using var http = Client(A);
        var info = await http.GetFromJsonAsync<JsonElement>("api/v1/info");
        Assert.Equal(A.Id.ToString(), info.GetProperty("nodeId").GetString());
        Assert.Equal("a", info.GetProperty("name").GetString());

        await Eventually.TrueAsync(async () => (await http.GetFromJsonAsync<JsonElement>("api/v1/cluster/status")).GetProperty("connected").GetInt32() == 1,
            Patience, "b to connect");
        var cluster = await http.GetFromJsonAsync<JsonElement>("api/v1/cluster/status");
        Assert.Equal(2, cluster.GetProperty("nodes").GetInt32());
        Assert.True(cluster.GetProperty("healthy").GetBoolean());
        var nodes = await http.GetFromJsonAsync<JsonElement>("api/v1/cluster/nodes");
        var b = Assert.Single(nodes.EnumerateArray());
        Assert.Equal(B.Id.ToString(), b.GetProperty("id").GetString());
        Assert.True(b.GetProperty("connected").GetBoolean());
        Assert.StartsWith("127.0.0.1:", b.GetProperty("address").GetString());
        Assert.NotEqual(JsonValueKind.Null, b.GetProperty("lastSeen").ValueKind);

        // Three files on a; b has them all once synced, and both nodes agree on each file's hash.
        var contents = new Dictionary<string, string> { ["x.txt"] = "xx", ["d/y.txt"] = "yyy", ["z.txt"] = "z" };
        Directory.CreateDirectory(Path.Combine(A.FolderPath("f"), "d"));
        foreach (var (name, text) in contents)
            File.WriteAllText(Path.Combine(A.FolderPath("f"), name), text);
        using var httpB = Client(B);
        await Eventually.TrueAsync(async () =>
        {
            var status = await httpB.GetFromJsonAsync<JsonElement>("api/v1/sync/status");
            var f = Assert.Single(status.EnumerateArray());
            return f.GetProperty("files").GetInt64() == 3 && f.GetProperty("syncedFiles").GetInt64() == 3 && f.GetProperty("needFiles").GetInt64() == 0;
        }, Patience, "b's sync status to show 3 of 3 files synced");
        var folderStatus = (await httpB.GetFromJsonAsync<JsonElement>("api/v1/sync/status"))[0];
        Assert.Equal("f", folderStatus.GetProperty("folder").GetString());
        Assert.Equal(0, folderStatus.GetProperty("needBytes").GetInt64());

        var page1 = await httpB.GetFromJsonAsync<JsonElement>("api/v1/sync/files?folder=f&perPage=2");
        var page2 = await httpB.GetFromJsonAsync<JsonElement>("api/v1/sync/files?folder=f&perPage=2&page=2");
        Assert.Equal(4, page1.GetProperty("total").GetInt32()); // the directory d counts as an entry too
        var files = page1.GetProperty("files").EnumerateArray().Concat(page2.GetProperty("files").EnumerateArray()).ToList();
        Assert.Equal(4, files.Count);
        foreach (var (name, text) in contents)
        {
            var file = files.Single(f => f.GetProperty("path").GetString() == name);
            Assert.Equal(text.Length, file.GetProperty("size").GetInt64());
            Assert.True(file.GetProperty("synced").GetBoolean());
            // The hash is the SHA-256 of the one block's SHA-256.
            var expected = Convert.ToHexStringLower(SHA256.HashData(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
            Assert.Equal(expected, file.GetProperty("hash").GetString());
        }

        var detail = await httpB.GetFromJsonAsync<JsonElement>("api/v1/sync/files/d/y.txt?folder=f");
        Assert.Equal("d/y.txt", detail.GetProperty("file").GetProperty("path").GetString());
        var versions = detail.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(new[] { A.Id.ToString(), B.Id.ToString() }.Order(), versions.Select(v => v.GetProperty("device").GetString()).Order());
        Assert.Single(versions.Select(v => v.GetProperty("version").GetString()).Distinct());
        Assert.Equal(HttpStatusCode.NotFound, (await httpB.GetAsync("api/v1/sync/files/nope.txt?folder=f")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await httpB.GetAsync("api/v1/sync/files?folder=nope")).StatusCode);

        // POST .../sync rescans the path on a: a change not yet seen by the watcher is announced now.
        File.WriteAllText(Path.Combine(A.FolderPath("f"), "z.txt"), "zzzz");
        var sync = await http.PostAsync("api/v1/sync/files/z.txt/sync?folder=f", null);
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        await Eventually.TrueAsync(() => B.Read("f", "z.txt") == "zzzz", Patience, "the rescanned change to reach b");
    }
}
