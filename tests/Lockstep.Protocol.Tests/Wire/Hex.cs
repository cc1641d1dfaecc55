namespace Lockstep.Protocol.Tests.Wire;

/// <summary>Hex as the design notes write it: spaces, '|' and newlines are layout only.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
