using System.Xml.Linq;
using Lockstep.Testing;

namespace Lockstep.Node.Tests.Architecture;

/// <summary>ARCHITECTURE.md §1 (binding): project references point down only.</summary>
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Lockstep.Protocol"] = [],
        ["Lockstep.FileSystem"] = ["Lockstep.Protocol"],
        ["Lockstep.Index"] = ["Lockstep.Protocol"],
        ["Lockstep.Connections"] = ["Lockstep.Protocol"],
        ["Lockstep.Sync"] = ["Lockstep.Protocol", "Lockstep.FileSystem", "Lockstep.Index"],
        ["Lockstep.Verify"] = ["Lockstep.Protocol", "Lockstep.Sync", "Lockstep.Index", "Lockstep.FileSystem"],
        ["Lockstep.Contracts"] = [],
        ["Lockstep.Node"] = ["Lockstep.Protocol", "Lockstep.FileSystem", "Lockstep.Index", "Lockstep.Connections", "Lockstep.Sync", "Lockstep.Verify", "Lockstep.Contracts"],
        ["Lockstep.Cli"] = ["Lockstep.Node", "Lockstep.Contracts"],
    };

    public static TheoryData<string> Projects() => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_point_only_down(string project)
    {
        var csproj = Path.Combine(RepoRoot.Path, "src", project, project + ".csproj");
        Assert.True(File.Exists(csproj), $"{csproj} is missing: the layout of ARCHITECTURE.md §1 names it");
        var references = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToList();
        Assert.All(references, r => Assert.Contains(r, Allowed[project]));
    }

    [Fact]
    public void Every_source_project_is_covered()
    {
        var onDisk = Directory.GetDirectories(Path.Combine(RepoRoot.Path, "src")).Select(Path.GetFileName).ToHashSet();
        Assert.Equal(Allowed.Keys.Order(), onDisk.Order()!);
    }
}
