namespace Lockstep.Testing;

/// <summary>The repository checkout the tests were built from (the directory holding Lockstep.slnx).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lockstep.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no Lockstep.slnx above {AppContext.BaseDirectory}");
    }
}
