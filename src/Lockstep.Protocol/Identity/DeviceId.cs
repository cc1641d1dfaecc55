using System.Security.Cryptography;

namespace Lockstep.Protocol.Identity;

/// <summary>
/// A device ID: the SHA-256 of the device's DER certificate, shown as Syncthing shows it
/// (base32 with a Luhn check character after every 13 characters, 8 groups of 7).
/// </summary>
public readonly struct DeviceId : IEquatable<DeviceId>, IComparable<DeviceId>
{
    public const int Length = 32;
    private readonly byte[]? _bytes;

    public DeviceId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"a device ID is {Length} bytes, got {bytes.Length}", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    /// <summary>The 32 raw bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Length];

    /// <summary>The device ID of a DER-encoded certificate.</summary>
    public static DeviceId FromCertificate(ReadOnlySpan<byte> der) => new(SHA256.HashData(der));

    /// <summary>First 8 bytes as a big-endian integer: the ID used in version vectors and modified_by.</summary>
    public ShortId Short => new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(Bytes));

    public override string ToString()
    {
        var b32 = Base32.Encode(Bytes); // 52 chars
        Span<char> withCheck = stackalloc char[56];
        for (int g = 0; g < 4; g++)
        {
            var chunk = b32.AsSpan(13 * g, 13);
            chunk.CopyTo(withCheck[(14 * g)..]);
            withCheck[14 * g + 13] = Luhn32.Compute(chunk);
        }
        var parts = new string[8];
        for (int i = 0; i < 8; i++)
            parts[i] = new string(withCheck.Slice(7 * i, 7));
        return string.Join('-', parts);
    }

    /// <summary>Parses a device ID as a person types it; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static DeviceId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>
    /// Accepts Syncthing's spellings: dashes and spaces anywhere, lower case, the look-alikes 0/1/8 for O/I/B,
    /// the 56-character form with check characters (verified, naming the group that fails) and the legacy 52-character form.
    /// </summary>
    public static bool TryParse(string? text, out DeviceId id, out string error)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the device ID is empty";
            return false;
        }
        var clean = new System.Text.StringBuilder(64);
        foreach (var raw in text.Trim().TrimEnd('='))
        {
            var c = char.ToUpperInvariant(raw);
            if (c is '-' or ' ')
                continue;
            clean.Append(c switch { '0' => 'O', '1' => 'I', '8' => 'B', _ => c });
        }
        var s = clean.ToString();
        foreach (var c in s)
        {
            if (Base32.Alphabet.IndexOf(c) < 0)
            {
                error = $"the device ID '{text}' contains '{c}', which is not a base32 character (A–Z, 2–7)";
                return false;
            }
        }
        string data;
        if (s.Length == 56)
        {
            var sb = new System.Text.StringBuilder(52);
            for (int g = 0; g < 4; g++)
            {
                var chunk = s.AsSpan(14 * g, 13);
                var expected = Luhn32.Compute(chunk);
                if (s[14 * g + 13] != expected)
                {
                    // Check character g sits at the end of display group 2g+2 (groups of 7, 1-based).
                    error = $"the device ID '{text}' has a wrong check character in group {2 * g + 2} " +
                            $"('{s[14 * g + 13]}' where '{expected}' belongs): check for a typing error";
                    return false;
                }
                sb.Append(chunk);
            }
            data = sb.ToString();
        }
        else if (s.Length == 52)
        {
            data = s;
        }
        else
        {
            error = $"the device ID '{text}' has {s.Length} characters; a device ID has 56 (8 groups of 7, e.g. XXXXXXX-XXXXXXX-...)";
            return false;
        }
        var bytes = Base32.Decode(data);
        if (bytes is null || bytes.Length != Length)
        {
            error = $"the device ID '{text}' does not decode to {Length} bytes";
            return false;
        }
        id = new DeviceId(bytes);
        error = "";
        return true;
    }

    public bool Equals(DeviceId other) => Bytes.SequenceEqual(other.Bytes);
    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);
    public int CompareTo(DeviceId other) => Bytes.SequenceCompareTo(other.Bytes);
    public static bool operator ==(DeviceId a, DeviceId b) => a.Equals(b);
    public static bool operator !=(DeviceId a, DeviceId b) => !a.Equals(b);
}
