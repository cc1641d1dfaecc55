namespace Lockstep.Protocol.Blocks;

/// <summary>Syncthing's block-size rule (bep-v1.md §5.7).</summary>
public static class BlockSizes
{
    public const int Min = 128 * 1024;
    public const int Max = 16 * 1024 * 1024;
    private const long DesiredBlocksPerFile = 2000;

    /// <summary>The smallest power of two from 128 KiB to 16 MiB with fileSize &lt; 2000 × size; else 16 MiB.</summary>
    public static int For(long fileSize)
    {
        for (int size = Min; size < Max; size *= 2)
            if (fileSize < DesiredBlocksPerFile * size)
                return size;
        return Max;
    }

    /// <summary>
    /// On a rescan Syncthing keeps the previous block size when the rule's answer differs by only one step
    /// (a factor of 2), so a file that grows slightly does not get re-cut.
    /// </summary>
    public static int ForRescan(long fileSize, int previous)
    {
        var desired = For(fileSize);
        if (IsValid(previous) && (previous == desired || previous == desired * 2 || previous * 2 == desired))
            return previous;
        return desired;
    }

    public static bool IsValid(int size) => size >= Min && size <= Max && (size & (size - 1)) == 0;
}
