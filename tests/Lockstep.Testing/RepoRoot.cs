using System.Runtime.CompilerServices;

namespace Lockstep.Testing;

/// <summary>
/// The repository checkout the tests were built from. Taken from this source file's compile-time path, so it
/// holds wherever the build output went (LOCKSTEP_ARTIFACTS may point outside the checkout).
/// </summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find([CallerFilePath] string thisFile = "")
    {
        for (var dir = new FileInfo(thisFile).Directory; dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lockstep.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no Lockstep.slnx above {thisFile}");
    }
}
