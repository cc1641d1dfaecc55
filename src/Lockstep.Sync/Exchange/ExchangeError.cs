namespace Lockstep.Sync.Exchange;

/// <summary>What was wrong with a message from a peer in an <see cref="ExchangeException"/>.</summary>
public enum ExchangeError
{
    /// <summary>The message was for another folder than the one it was handed to.</summary>
    WrongFolder,

    /// <summary>A file name is not a valid folder-relative name (bep-v1.md §5.11).</summary>
    InvalidName,
}
