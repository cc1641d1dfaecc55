using System.Text;
using Google.Protobuf;

namespace Lockstep.Protocol.Wire;

/// <summary>
/// Strict UTF-8 for the name fields the schema declares as bytes (see bep.proto): a name that is not valid
/// UTF-8 is refused instead of being decoded with replacement characters.
/// </summary>
internal static class WireText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ByteString Encode(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>The name, or ProtocolException(InvalidName) naming the field and showing the bytes.</summary>
    public static string DecodeName(ByteString bytes, string field)
    {
        try
        {
            return Strict.GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            var shown = bytes.Length > 64 ? Convert.ToHexStringLower(bytes.Span[..64]) + "…" : Convert.ToHexStringLower(bytes.Span);
            throw ProtocolErrors.InvalidName(field, shown, "name is not valid UTF-8 (bytes shown in hex)");
        }
    }
}
