using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// Parses the glob part of an ignore line (prefixes and the anchoring '/' already removed).
/// Follows Syncthing's glob library (gobwas/glob) where it is well defined, and is a little more
/// forgiving where that library is odd:
/// <list type="bullet">
/// <item><c>\x</c> is a literal x everywhere, inside classes too; a trailing <c>\</c> is an error.</item>
/// <item>A class may mix ranges and single characters (<c>[a-zA-Z_]</c>); gobwas accepts only one range
/// or one list. <c>!</c> right after <c>[</c> negates; <c>^</c> is literal, as in gobwas. <c>-</c> is
/// literal when it cannot form a range (first or last).</item>
/// <item>An unclosed <c>{</c> is an error (gobwas silently closes it at the end of the line).</item>
/// <item><c>,</c> and <c>}</c> are literal outside braces; <c>]</c> is literal outside a class.</item>
/// </list>
/// </summary>
internal sealed class GlobParser
{
    private readonly string _pattern;
    private int _pos;
    private string? _error;

    private GlobParser(string pattern) => _pattern = pattern;

    public static bool TryParse(string pattern, [NotNullWhen(true)] out IReadOnlyList<GlobNode>? nodes, [NotNullWhen(false)] out string? error)
    {
        var parser = new GlobParser(pattern);
        nodes = parser.ParseSequence(inBraces: false);
        error = parser._error;
        return nodes is not null;
    }

    private List<GlobNode>? ParseSequence(bool inBraces)
    {
        var nodes = new List<GlobNode>();
        var text = new StringBuilder();
        while (_pos < _pattern.Length)
        {
            char c = _pattern[_pos];
            if (inBraces && c is ',' or '}')
                break;
            switch (c)
            {
                case '*':
                    Flush(text, nodes);
                    bool super = _pos + 1 < _pattern.Length && _pattern[_pos + 1] == '*';
                    _pos += super ? 2 : 1;
                    nodes.Add(super ? GlobNode.AnyPath.Instance : GlobNode.AnyInSegment.Instance);
                    break;
                case '?':
                    Flush(text, nodes);
                    _pos++;
                    nodes.Add(GlobNode.OneChar.Instance);
                    break;
                case '[':
                    Flush(text, nodes);
                    _pos++;
                    var cls = ParseClass();
                    if (cls is null)
                        return null;
                    nodes.Add(cls);
                    break;
                case '{':
                    Flush(text, nodes);
                    _pos++;
                    var alternatives = ParseAlternatives();
                    if (alternatives is null)
                        return null;
                    nodes.Add(alternatives);
                    break;
                case '\\':
                    if (!TryReadEscaped(out int escaped))
                        return null;
                    AppendCodePoint(text, escaped);
                    break;
                default:
                    text.Append(c);
                    _pos++;
                    break;
            }
        }
        Flush(text, nodes);
        return nodes;
    }

    private GlobNode.Alternatives? ParseAlternatives()
    {
        var options = new List<IReadOnlyList<GlobNode>>();
        while (true)
        {
            var option = ParseSequence(inBraces: true);
            if (option is null)
                return null;
            options.Add(option);
            if (_pos >= _pattern.Length)
                return Fail<GlobNode.Alternatives>("unclosed '{'");
            if (_pattern[_pos++] == '}')
                return new GlobNode.Alternatives(options);
        }
    }

    private GlobNode.CharClass? ParseClass()
    {
        bool negated = _pos < _pattern.Length && _pattern[_pos] == '!';
        if (negated)
            _pos++;
        var ranges = new List<(int Lo, int Hi)>();
        while (true)
        {
            if (_pos >= _pattern.Length)
                return Fail<GlobNode.CharClass>("unclosed '['");
            if (_pattern[_pos] == ']')
            {
                _pos++;
                break;
            }
            if (!TryReadClassChar(out int lo))
                return null;
            int hi = lo;
            if (_pos + 1 < _pattern.Length && _pattern[_pos] == '-' && _pattern[_pos + 1] != ']')
            {
                _pos++;
                if (!TryReadClassChar(out hi))
                    return null;
                if (hi < lo)
                    return Fail<GlobNode.CharClass>($"range '{Show(lo)}-{Show(hi)}' is reversed");
            }
            // Regex classes work on UTF-16 units, so a range reaching past U+FFFF cannot be expressed
            // exactly; such patterns do not occur in practice and are refused rather than half-honoured.
            if (hi > 0xFFFF && (lo != hi || negated))
                return Fail<GlobNode.CharClass>("ranges and negated classes with characters beyond U+FFFF are not supported");
            ranges.Add((lo, hi));
        }
        if (ranges.Count == 0)
            return Fail<GlobNode.CharClass>("empty character class");
        return new GlobNode.CharClass(negated, ranges);
    }

    private bool TryReadClassChar(out int codePoint)
    {
        if (_pattern[_pos] == '\\')
            return TryReadEscaped(out codePoint);
        codePoint = ReadCodePoint();
        return true;
    }

    private bool TryReadEscaped(out int codePoint)
    {
        _pos++; // the backslash
        if (_pos >= _pattern.Length)
        {
            codePoint = 0;
            _error = "trailing '\\' escapes nothing";
            return false;
        }
        codePoint = ReadCodePoint();
        return true;
    }

    private int ReadCodePoint()
    {
        if (Rune.DecodeFromUtf16(_pattern.AsSpan(_pos), out var rune, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            _pos += consumed;
            return rune.Value;
        }
        return _pattern[_pos++]; // a lone surrogate stands for itself
    }

    private T? Fail<T>(string error)
        where T : class
    {
        _error = error;
        return null;
    }

    private static void AppendCodePoint(StringBuilder text, int codePoint)
    {
        if (Rune.IsValid(codePoint))
            text.Append(new Rune(codePoint).ToString());
        else
            text.Append((char)codePoint); // a lone surrogate
    }

    private static string Show(int codePoint) =>
        Rune.IsValid(codePoint) ? new Rune(codePoint).ToString() : $"\\u{codePoint:X4}";

    private static void Flush(StringBuilder text, List<GlobNode> nodes)
    {
        if (text.Length == 0)
            return;
        nodes.Add(new GlobNode.Literal(text.ToString()));
        text.Clear();
    }
}
