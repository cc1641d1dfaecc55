using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Exchange;

/// <summary>Every <see cref="ExchangeException"/> is built here, so the messages read alike.</summary>
internal static class ExchangeErrors
{
    public static ExchangeException WrongFolder(DeviceId device, string folderId, string messageFolder) =>
        new(ExchangeError.WrongFolder, device.ToString(), folderId,
            $"device {device}: an index for folder '{messageFolder}' was handed to folder '{folderId}'; nothing was applied");

    public static ExchangeException InvalidName(DeviceId device, string folderId, string name, string reason) =>
        new(ExchangeError.InvalidName, device.ToString(), folderId,
            $"device {device}, folder '{folderId}': the index names the file '{name}', which is not valid ({reason}); " +
            "nothing of the message was applied");
}
