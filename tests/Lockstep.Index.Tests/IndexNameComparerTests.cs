namespace Lockstep.Index.Tests;

public sealed class IndexNameComparerTests
{
    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("a", "a/b", -1)]
    [InlineData("a/b", "a0", -1)]
    [InlineData("B", "a", -1)]
    [InlineData("same", "same", 0)]
    [InlineData("\uFFFD", "\U0001F600", -1)] // UTF-16 ordinal says the opposite
    [InlineData("\uE000", "\uD800\uDC00", -1)]
    [InlineData("\u00e9", "\uFF21", -1)]
    public void Compares_by_code_point(string x, string y, int sign)
    {
        Assert.Equal(sign, Math.Sign(IndexNameComparer.Instance.Compare(x, y)));
        Assert.Equal(-sign, Math.Sign(IndexNameComparer.Instance.Compare(y, x)));
    }

    [Fact]
    public void Agrees_with_utf8_byte_order()
    {
        string[] names = ["\U0001F600", "\uFFFF", "\uE000", "z", "é", "a/b", "a", "ab", "\U00010000x", "\U00010000"];
        var byBytes = names.OrderBy(n => System.Text.Encoding.UTF8.GetBytes(n), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));

        Assert.Equal(byBytes, names.Order(IndexNameComparer.Instance));
    }
}
