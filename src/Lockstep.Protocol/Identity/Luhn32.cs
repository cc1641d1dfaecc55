namespace Lockstep.Protocol.Identity;

/// Syncthing's Luhn variant over the base32 alphabet (bep-v1.md §1.3): the factor starts at 1
/// and alternates 1, 2 from left to right, which differs from textbook Luhn mod N.
internal static class Luhn32
{
    public static char Compute(ReadOnlySpan<char> s)
    {
        int factor = 1, sum = 0;
        foreach (var ch in s)
        {
            int cp = Base32.Alphabet.IndexOf(ch);
            if (cp < 0)
                throw new ArgumentException($"'{ch}' is not a base32 character", nameof(s));
            int addend = factor * cp;
            factor = factor == 2 ? 1 : 2;
            addend = addend / 32 + addend % 32;
            sum += addend;
        }
        return Base32.Alphabet[(32 - sum % 32) % 32];
    }
}
