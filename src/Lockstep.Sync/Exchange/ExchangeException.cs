namespace Lockstep.Sync.Exchange;

/// <summary>
/// A peer's message that the model refuses as a whole; nothing of it was applied. <see cref="Error"/> says what
/// kind, the message names the device, the folder and the file. Build these through <see cref="ExchangeErrors"/>.
/// </summary>
public sealed class ExchangeException : Exception
{
    internal ExchangeException(ExchangeError error, string device, string folderId, string message)
        : base(message)
    {
        Error = error;
        Device = device;
        FolderId = folderId;
    }

    /// <summary>The kind of problem.</summary>
    public ExchangeError Error { get; }

    /// <summary>The device ID of the peer that sent the message.</summary>
    public string Device { get; }

    /// <summary>The folder the message was applied to.</summary>
    public string FolderId { get; }
}
