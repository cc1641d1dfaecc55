namespace Lockstep.Protocol;

/// <summary>
/// What kind of BEP violation a <see cref="ProtocolException"/> reports. Every kind closes the connection:
/// the dispatcher sends Close with the exception's message as the reason, as Syncthing does.
/// </summary>
public enum ProtocolError
{
    /// <summary>The Hello did not start with 0x2EA7D90B (an older Syncthing, or not BEP at all).</summary>
    BadMagic,

    /// <summary>The Hello declared a body over 32767 bytes.</summary>
    HelloTooLarge,

    /// <summary>The peer's Hello did not arrive before the deadline (20 s by default).</summary>
    HelloTimeout,

    /// <summary>The stream ended in the middle of a Hello or frame.</summary>
    UnexpectedEndOfStream,

    /// <summary>A header length, message length or declared decompressed size is negative or over the limit.</summary>
    FrameTooLarge,

    /// <summary>The header names a compression other than NONE (0) or LZ4 (1).</summary>
    BadCompression,

    /// <summary>The LZ4 payload is not a valid block, or it does not decompress to its declared length.</summary>
    DecompressFailed,

    /// <summary>A header or message body is not valid protobuf for its type, or holds an impossible value.</summary>
    Malformed,

    /// <summary>A file name is not canonical, relative, NFC UTF-8 within the length limit (bep-v1.md §5.11).</summary>
    InvalidName,

    /// <summary>A FileInfo breaks the rules for its kind (bep-v1.md §5.6): blocks where none belong, none where one must be, bad layout.</summary>
    InvalidFileInfo,

    /// <summary>A FileInfo lists more blocks than <see cref="ProtocolLimits.MaxBlocksPerFile"/>.</summary>
    TooManyBlocks,

    /// <summary>An outgoing message would exceed the peer's limit; it is not sent.</summary>
    MessageTooLarge,
}
