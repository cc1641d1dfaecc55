namespace Lockstep.FileSystem.Native;

/// <summary>What statx reported about one path (never following a final symlink).</summary>
public readonly record struct FileStat(ushort Mode, ulong Inode, long Size, long ModifiedS, int ModifiedNs, ulong Device)
{
    private const int TypeMask = 0xF000;
    public bool IsRegular => (Mode & TypeMask) == 0x8000;
    public bool IsDirectory => (Mode & TypeMask) == 0x4000;
    public bool IsSymlink => (Mode & TypeMask) == 0xA000;
    public bool IsSocket => (Mode & TypeMask) == 0xC000;
    public uint Permissions => (uint)(Mode & 0x1FF);

    /// <summary>Size, mtime and inode: the identity used to decide whether a file must be re-hashed.</summary>
    public bool SameContentIdentity(in FileStat other) =>
        Size == other.Size && ModifiedS == other.ModifiedS && ModifiedNs == other.ModifiedNs && Inode == other.Inode;
}
