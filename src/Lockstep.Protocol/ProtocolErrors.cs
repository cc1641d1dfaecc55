using System.Globalization;

namespace Lockstep.Protocol;

/// <summary>
/// Every <see cref="ProtocolException"/> is built here, so the wording stays consistent and close to
/// Syncthing's (its texts end up in each other's logs as Close reasons).
/// </summary>
internal static class ProtocolErrors
{
    // Hello (lib/protocol/hello.go)
    public static ProtocolException TooOld(uint magic) => new(ProtocolError.BadMagic,
        $"the remote device speaks an older version of the protocol not compatible with this version (magic {Hex(magic)})");

    public static ProtocolException UnknownMagic(uint magic) => new(ProtocolError.BadMagic,
        $"the remote device speaks an unknown (newer?) version of the protocol (magic {Hex(magic)})");

    public static ProtocolException HelloTooLarge(int length, int limit) => new(ProtocolError.HelloTooLarge,
        $"hello message too big: {length} bytes, limit {limit}");

    public static ProtocolException HelloTimeout(TimeSpan timeout) => new(ProtocolError.HelloTimeout,
        $"no Hello from the peer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");

    public static ProtocolException EndOfStream(string reading) => new(ProtocolError.UnexpectedEndOfStream,
        $"connection closed while reading {reading}");

    // Framing (lib/protocol/protocol.go readHeader / readMessageAfterHeader)
    public static ProtocolException NegativeHeaderLength(int length) => new(ProtocolError.FrameTooLarge,
        $"negative header length {length}");

    public static ProtocolException MessageLength(long length, int limit) => new(ProtocolError.FrameTooLarge,
        length < 0 ? $"negative message length {length}" : $"message length {length} exceeds maximum {limit}");

    public static ProtocolException UnknownCompression(int compression) => new(ProtocolError.BadCompression,
        $"unknown message compression {compression}");

    public static ProtocolException Malformed(string what, Exception? inner = null) => new(ProtocolError.Malformed,
        inner is null ? $"unmarshalling {what}" : $"unmarshalling {what}: {inner.Message}", inner);

    public static ProtocolException OutgoingTooLarge(string type, long length, int limit) => new(ProtocolError.MessageTooLarge,
        $"outgoing {type} message of {length} bytes exceeds maximum {limit}");

    // LZ4 payloads
    public static ProtocolException Lz4PayloadTooShort(int length) => new(ProtocolError.DecompressFailed,
        $"decompressing message: LZ4 payload of {length} bytes has no 4-byte length prefix");

    public static ProtocolException DecompressedTooLarge(uint declared, int limit) => new(ProtocolError.FrameTooLarge,
        $"decompressing message: declared size {declared} exceeds maximum {limit}");

    public static ProtocolException ImpossibleExpansion(uint declared, long blockLength) => new(ProtocolError.DecompressFailed,
        $"decompressing message: declared size {declared} is more than an LZ4 block of {blockLength} bytes can hold");

    public static ProtocolException Lz4BlockInvalid(int declared, int blockLength) => new(ProtocolError.DecompressFailed,
        $"decompressing message: invalid LZ4 block of {blockLength} bytes for declared size {declared}");

    public static ProtocolException Lz4LengthMismatch(int declared, int produced) => new(ProtocolError.DecompressFailed,
        $"decompressing message: declared size {declared} but the block decompressed to {produced}");

    // Boundary validation (lib/protocol/protocol.go checkFilename / checkFileInfoConsistency, plus ours)
    public static ProtocolException InvalidName(string context, string name, string reason) => new(ProtocolError.InvalidName,
        $"{context}: {Quote(name)}: {reason}");

    public static ProtocolException InvalidFileInfo(string context, string name, string reason) => new(ProtocolError.InvalidFileInfo,
        $"{context}: {Quote(name)}: {reason}");

    public static ProtocolException TooManyBlocks(string context, string name, int count, int limit) => new(ProtocolError.TooManyBlocks,
        $"{context}: {Quote(name)}: blocks: {count} blocks exceed the limit of {limit}");

    private static string Hex(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    // Names may hold control characters or be megabytes long; keep the Close reason printable and short.
    private static string Quote(string name)
    {
        var shown = name.Length > 200 ? name[..200] + "…" : name;
        var builder = new System.Text.StringBuilder(shown.Length + 2).Append('"');
        foreach (var c in shown)
        {
            if (char.IsControl(c))
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
