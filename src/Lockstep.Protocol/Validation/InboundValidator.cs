using Lockstep.Protocol.Messages;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Protocol.Validation;

/// <summary>
/// The boundary check for what a peer sends, run by the connection's dispatcher before any handler sees a
/// message (as Syncthing's dispatcherLoop runs checkIndexConsistency and checkFilename). Past it, names are
/// safe to join to a folder root and FileInfos obey the rules of their kind. A violation throws
/// <see cref="ProtocolException"/> naming the message, the file and the field; the connection is then
/// closed with that text as the reason.
/// </summary>
public static class InboundValidator
{
    /// <summary>Checks Index, IndexUpdate and Request; other messages carry nothing to check here.</summary>
    public static void Validate(BepMessage message, ProtocolLimits limits)
    {
        switch (message)
        {
            case IndexMessage index:
                ValidateIndex(index, limits);
                break;
            case Request request:
                ValidateRequest(request, limits);
                break;
        }
    }

    /// <summary>Every file: name (§5.11), block count, kind rules (§5.6).</summary>
    public static void ValidateIndex(IndexMessage index, ProtocolLimits limits)
    {
        var context = (index.IsUpdate ? "index-update for " : "index for ") + index.Folder;
        foreach (var file in index.Files.IsDefault ? [] : index.Files)
            ValidateFile(file, limits, context);
    }

    /// <summary>
    /// The name only, as Syncthing does: a negative offset or size, or a hash of the wrong length, is not a
    /// protocol violation but a request to answer with <see cref="ErrorCode.InvalidFile"/> or NoSuchFile.
    /// </summary>
    public static void ValidateRequest(Request request, ProtocolLimits limits)
    {
        if (WireName.Check(request.Name, limits.MaxNameLength) is { } reason)
            throw ProtocolErrors.InvalidName("request in " + request.Folder, request.Name, "name: " + reason);
    }

    /// <summary>One FileInfo as it arrives in an Index or IndexUpdate; context names the message, e.g. "index for f1".</summary>
    public static void ValidateFile(FileInfo file, ProtocolLimits limits, string context)
    {
        if (WireName.Check(file.Name, limits.MaxNameLength) is { } nameReason)
            throw ProtocolErrors.InvalidName(context, file.Name, "name: " + nameReason);
        int blockCount = file.Blocks.IsDefault ? 0 : file.Blocks.Length;
        if (blockCount > limits.MaxBlocksPerFile)
            throw ProtocolErrors.TooManyBlocks(context, file.Name, blockCount, limits.MaxBlocksPerFile);
        if (FileInfoRules.Check(file) is { } reason)
            throw ProtocolErrors.InvalidFileInfo(context, file.Name, reason);
    }

    /// <summary>Whether a name may appear on the wire (§5.11); <paramref name="reason"/> says why not.</summary>
    public static bool IsValidName(string name, ProtocolLimits limits, out string reason)
    {
        reason = WireName.Check(name, limits.MaxNameLength) ?? "";
        return reason.Length == 0;
    }
}
