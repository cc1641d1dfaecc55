using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

internal static class FileInfoTypeExtensions
{
    public static bool IsSymlinkType(this FileInfoType type) =>
        type is FileInfoType.Symlink or FileInfoType.SymlinkFile or FileInfoType.SymlinkDirectory;
}
