using Lockstep.Node.Config;
using Lockstep.Node.Hosting;
using Lockstep.Sync.Pulling;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

/// <summary>The puller's folder keys: read, written back, overridable, and handed to the runner.</summary>
public sealed class PullSettingsConfigTests : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Pull_keys_are_read_round_tripped_and_reach_the_runner_settings()
    {
        _dir.Write(OneFolder("maxDeletePercent: 80\norder: smallestFirst\npullerMaxPendingKiB: 1024"));
        var config = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);
        var folder = config.Folders.Single();
        Assert.Equal(80, folder.MaxDeletePercent);
        Assert.Equal(PullOrder.SmallestFirst, folder.Order);
        Assert.Equal(1024, folder.PullerMaxPendingKiB);

        ConfigFile.Save(_dir.ConfigPath, config);
        Assert.Equal(config, ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));

        var overridden = ConfigFile.Load(_dir.ConfigPath, new Dictionary<string, string?> { ["LOCKSTEP_FOLDERS__0__ORDER"] = "newestFirst" });
        Assert.Equal(PullOrder.NewestFirst, overridden.Folders.Single().Order);

        var settings = FolderSettingsFactory.From(folder, config.Devices[0].Id);
        Assert.Equal(80, settings.MaxDeletePercent);
        Assert.Equal(PullOrder.SmallestFirst, settings.PullOrder);
        Assert.Equal(1024 * 1024, settings.MaxBytesInFlight);
    }

    [Fact]
    public void Defaults_are_syncthings()
    {
        _dir.Write(OneFolder());
        var folder = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath).Folders.Single();
        Assert.Equal(50, folder.MaxDeletePercent);
        Assert.Equal(PullOrder.Random, folder.Order);
        Assert.Equal(32768, folder.PullerMaxPendingKiB);
    }
}

/// <summary>The versioning section: Syncthing's shape, read, written only when on, validated.</summary>
public sealed class VersioningConfigTests : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_versioning_section_is_read_round_tripped_and_reaches_the_runner()
    {
        _dir.Write(OneFolder("versioning:\n  type: staggered\n  params:\n    maxAge: 86400\n  cleanupIntervalS: 60"));
        var config = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);
        var v = config.Folders.Single().Versioning;
        Assert.Equal(Lockstep.Sync.Versioning.VersioningKind.Staggered, v.Type);
        Assert.Equal(86400, v.MaxAgeS);
        Assert.Equal(60, v.CleanupIntervalS);
        ConfigFile.Save(_dir.ConfigPath, config);
        Assert.Contains("versioning:", File.ReadAllText(_dir.ConfigPath));
        Assert.Equal(config, ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
        var settings = FolderSettingsFactory.From(config.Folders.Single(), config.Devices[0].Id).Versioning;
        Assert.Equal(TimeSpan.FromDays(1), settings.MaxAge);

        _dir.Write(OneFolder());
        var off = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);
        ConfigFile.Save(_dir.ConfigPath, off);
        Assert.DoesNotContain("versioning", File.ReadAllText(_dir.ConfigPath));
    }

    [Theory]
    [InlineData("versioning:\n  type: weekly", "folders[0].versioning.type")]
    [InlineData("versioning:\n  type: simple\n  params:\n    keep: 0", "folders[0].versioning.params.keep")]
    [InlineData("versioning:\n  type: simple\n  params:\n    kep: 3", "folders[0].versioning.params.kep")]
    public void Bad_versioning_names_the_key(string yaml, string key)
    {
        _dir.Write(OneFolder(yaml));
        var e = Assert.Throws<ConfigException>(() => ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
        Assert.Contains(key, e.Message);
    }
}

/// <summary>conflictStrategy: the four spellings, written back only when not the default, and a clear error otherwise.</summary>
public sealed class ConflictStrategyConfigTests : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("newest")]
    [InlineData("largest")]
    [InlineData("manual")]
    [InlineData("prefer:MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD")]
    public void Each_strategy_round_trips(string spelling)
    {
        _dir.Write(OneFolder($"conflictStrategy: {spelling}"));
        var config = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);
        Assert.Equal(spelling, config.Folders.Single().ConflictStrategy.ToString());
        ConfigFile.Save(_dir.ConfigPath, config);
        Assert.Equal(config, ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
        Assert.Equal(spelling != "newest", File.ReadAllText(_dir.ConfigPath).Contains("conflictStrategy", StringComparison.Ordinal));
        Assert.Equal(spelling, FolderSettingsFactory.From(config.Folders.Single(), config.Devices[0].Id).ConflictStrategy.ToString());
    }

    [Theory]
    [InlineData("biggest", "newest, largest, prefer:DEVICEID or manual")]
    [InlineData("prefer:nobody", "prefer: followed by a valid device ID")]
    public void A_bad_strategy_names_the_key_and_the_choices(string spelling, string fix)
    {
        _dir.Write(OneFolder($"conflictStrategy: {spelling}"));
        var e = Assert.Throws<ConfigException>(() => ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
        Assert.Contains("folders[0].conflictStrategy", e.Message);
        Assert.Contains(fix, e.Message);
    }
}
