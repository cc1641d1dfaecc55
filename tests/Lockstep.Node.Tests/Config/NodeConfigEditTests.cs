using Lockstep.Node.Config;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

public sealed class NodeConfigEditTests
{
    private static readonly NodeConfig Base = NodeConfig.Default("node-a", "k")
        .WithDevice(new DeviceConfig { Id = A, Name = "a" })
        .WithDevice(new DeviceConfig { Id = B, Name = "b" })
        .WithFolder(new FolderConfig { Id = "photos", Path = "/srv/photos", Devices = [A, B] })
        .WithFolder(new FolderConfig { Id = "docs", Path = "/srv/docs", Devices = [B] });

    [Fact]
    public void Default_has_the_documented_values()
    {
        var config = NodeConfig.Default("node-a", "secret");

        Assert.Equal("node-a", config.Name);
        Assert.Equal("tcp://0.0.0.0:22001", config.Listen);
        Assert.Equal("127.0.0.1:8385", config.Api.Address);
        Assert.Equal("secret", config.Api.Key);
        Assert.Empty(config.Devices);
        Assert.Empty(config.Folders);
    }

    [Fact]
    public void Default_refuses_an_empty_key()
    {
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Default("a", " "));

        Assert.Equal("api.key", e.Key);
    }

    [Fact]
    public void WithDevice_adds_then_replaces_in_place()
    {
        var replaced = Base.WithDevice(new DeviceConfig { Id = A, Name = "renamed", Compression = Compression.Never });

        Assert.Equal([A, B], Base.Devices.Select(d => d.Id));
        Assert.Equal(["renamed", "b"], replaced.Devices.Select(d => d.Name));
        Assert.Equal(Compression.Never, replaced.Devices[0].Compression);
        Assert.Equal("a", Base.Devices[0].Name); // the original is untouched
    }

    [Fact]
    public void WithDevice_validates()
    {
        var e = Assert.Throws<ConfigException>(() => Base.WithDevice(new DeviceConfig { Id = C, Addresses = ["node-c:22001"] }));

        Assert.Equal("devices[2].addresses[0]", e.Key);
        Assert.Equal("node-c:22001", e.Value);
    }

    [Fact]
    public void WithoutDevice_also_unshares_every_folder()
    {
        var config = Base.WithoutDevice(B);

        Assert.Equal([A], config.Devices.Select(d => d.Id));
        Assert.Equal([A], config.Folders[0].Devices.ToArray());
        Assert.Empty(config.Folders[1].Devices);
        Assert.Equal([A, B], Base.Folders[0].Devices.ToArray());
    }

    [Fact]
    public void WithoutDevice_of_an_unknown_device_fails()
    {
        var e = Assert.Throws<ConfigException>(() => Base.WithoutDevice(C));

        Assert.Equal(C.ToString(), e.Value);
        Assert.Contains("is not configured", e.Message);
    }

    [Fact]
    public void WithFolder_adds_then_replaces_by_id()
    {
        var added = Base.WithFolder(new FolderConfig { Id = "music", Path = "/srv/music" });
        var replaced = added.WithFolder(new FolderConfig { Id = "photos", Path = "/data/photos", Type = FolderType.SendOnly });

        Assert.Equal(["photos", "docs", "music"], added.Folders.Select(f => f.Id));
        Assert.Equal(["photos", "docs", "music"], replaced.Folders.Select(f => f.Id));
        Assert.Equal("/data/photos", replaced.Folders[0].Path);
        Assert.Equal(FolderType.SendOnly, replaced.Folders[0].Type);
    }

    [Theory]
    [InlineData("relative", "must be absolute")]
    [InlineData("/srv/photos/inner", "is inside folders[0].path")]
    [InlineData("/srv", "contains folders[0].path")]
    public void WithFolder_refuses_bad_paths(string path, string fragment)
    {
        var e = Assert.Throws<ConfigException>(() => Base.WithFolder(new FolderConfig { Id = "new", Path = path }));

        Assert.Equal("folders[2].path", e.Key);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void WithFolder_refuses_an_unknown_device()
    {
        var e = Assert.Throws<ConfigException>(() => Base.WithFolder(new FolderConfig { Id = "new", Path = "/new", Devices = [C] }));

        Assert.Equal("folders[2].devices[0]", e.Key);
    }

    [Fact]
    public void WithoutFolder_removes_it()
    {
        var config = Base.WithoutFolder("photos");

        Assert.Equal(["docs"], config.Folders.Select(f => f.Id));
        Assert.Equal(2, config.Devices.Length);
    }

    [Fact]
    public void WithoutFolder_of_an_unknown_folder_fails_listing_the_ids()
    {
        var e = Assert.Throws<ConfigException>(() => Base.WithoutFolder("Photos"));

        Assert.Equal("Photos", e.Value);
        Assert.Contains("photos, docs", e.Message);
    }

    [Fact]
    public void ShareFolder_adds_the_device_once()
    {
        var config = Base.ShareFolder("docs", A);
        var again = config.ShareFolder("docs", A);

        Assert.Equal([B, A], config.Folders[1].Devices.ToArray());
        Assert.Same(config, again);
        Assert.Equal([B], Base.Folders[1].Devices.ToArray());
    }

    [Fact]
    public void ShareFolder_with_an_unknown_folder_fails()
    {
        var e = Assert.Throws<ConfigException>(() => Base.ShareFolder("music", A));

        Assert.Equal("folders", e.Key);
        Assert.Equal("music", e.Value);
        Assert.Contains("lockstep folder list", e.Message);
    }

    [Fact]
    public void ShareFolder_with_an_unknown_device_fails()
    {
        var e = Assert.Throws<ConfigException>(() => Base.ShareFolder("docs", C));

        Assert.Equal("devices", e.Key);
        Assert.Equal(C.ToString(), e.Value);
        Assert.Contains($"lockstep device add --id {C}", e.Message);
    }

    [Fact]
    public void The_api_key_stays_out_of_ToString()
    {
        var text = NodeConfig.Default("a", "super-secret-key").ToString();

        Assert.DoesNotContain("super-secret-key", text);
        Assert.Contains("Key = (set)", text);
    }

    [Fact]
    public void ToString_lists_devices_and_folders()
    {
        var text = Base.ToString();

        Assert.Contains($"Devices = [DeviceConfig {{ Id = {A}, Name = a, Addresses = []", text);
        Assert.Contains($"Folders = [FolderConfig {{ Id = photos, Label = , Path = /srv/photos, Type = SendReceive, Devices = [{A}, {B}]", text);
    }

    [Fact]
    public void Enum_spellings_round_trip_and_reject_others()
    {
        foreach (var type in Enum.GetValues<FolderType>())
        {
            Assert.True(ConfigEnums.TryParseFolderType(type.ToConfigName(), out var parsed));
            Assert.Equal(type, parsed);
        }
        foreach (var compression in Enum.GetValues<Compression>())
        {
            Assert.True(ConfigEnums.TryParseCompression(compression.ToConfigName(), out var parsed));
            Assert.Equal(compression, parsed);
        }
        Assert.Equal("receiveonly", FolderType.ReceiveOnly.ToConfigName());
        Assert.Equal("never", Compression.Never.ToConfigName());
        Assert.False(ConfigEnums.TryParseFolderType("send-receive", out _));
        Assert.False(ConfigEnums.TryParseCompression("lz4", out _));
    }
}
