using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Tests;

public sealed class VersionVectorTests
{
    private static readonly ShortId A = new(1), B = new(2), C = new(3);
    private static readonly ShortId High = new(0xF000_0000_0000_0000UL); // above long.MaxValue: compared unsigned

    private static VersionVector V(params (ShortId Id, ulong Value)[] counters) =>
        VersionVector.From(counters.Select(c => new Counter(c.Id, c.Value)));

    public sealed record Case(string Description, VersionVector Left, VersionVector Right, Ordering Expected)
    {
        public override string ToString() => Description;
    }

    public static TheoryData<Case> Cases() => new()
    {
        new("both empty are equal", VersionVector.Empty, VersionVector.Empty, Ordering.Equal),
        new("same counters are equal", V((A, 5), (B, 7)), V((A, 5), (B, 7)), Ordering.Equal),
        new("one counter higher is greater", V((A, 6), (B, 7)), V((A, 5), (B, 7)), Ordering.Greater),
        new("one counter lower is lesser", V((A, 5)), V((A, 5), (B, 1)), Ordering.Lesser),
        new("a counter the other lacks is greater", V((A, 5), (C, 1)), V((A, 5)), Ordering.Greater),
        new("mixed, lowest differing id higher on the left: concurrent greater", V((A, 6), (B, 1)), V((A, 5), (B, 2)), Ordering.ConcurrentGreater),
        new("mixed, lowest differing id lower on the left: concurrent lesser", V((A, 5), (B, 2)), V((A, 6), (B, 1)), Ordering.ConcurrentLesser),
        new("disjoint ids: the left's lower id decides", V((A, 1)), V((B, 1)), Ordering.ConcurrentGreater),
        new("ids above 2^63 compare unsigned", V((A, 1), (High, 2)), V((A, 1), (High, 1)), Ordering.Greater),
        new("unsigned order puts High last", V((A, 2), (High, 1)), V((A, 1), (High, 2)), Ordering.ConcurrentGreater),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare(Case c)
    {
        Assert.Equal(c.Expected, c.Left.Compare(c.Right));
        var mirrored = c.Expected switch
        {
            Ordering.Greater => Ordering.Lesser,
            Ordering.Lesser => Ordering.Greater,
            Ordering.ConcurrentGreater => Ordering.ConcurrentLesser,
            Ordering.ConcurrentLesser => Ordering.ConcurrentGreater,
            _ => Ordering.Equal,
        };
        Assert.Equal(mirrored, c.Right.Compare(c.Left));
    }

    [Fact]
    public void Update_takes_max_of_old_plus_one_and_now()
    {
        var v = V((A, 10));
        Assert.Equal(1_800_000_000UL, v.Update(A, 1_800_000_000)[A]);       // clock ahead: now
        var big = V((A, 1_900_000_000));
        Assert.Equal(1_900_000_001UL, big.Update(A, 1_800_000_000)[A]);      // counter ahead of clock: old + 1
        Assert.Equal(1UL, VersionVector.Empty.Update(B, 0)[B]);              // a new counter is at least 1
    }

    [Fact]
    public void Update_keeps_other_counters_and_sorted_order()
    {
        var v = V((A, 5), (C, 9)).Update(B, 100);
        Assert.Equal([A, B, C], v.Counters.Select(c => c.Id));
        Assert.Equal(5UL, v[A]);
        Assert.Equal(9UL, v[C]);
        Assert.Equal(Ordering.Greater, v.Compare(V((A, 5), (C, 9))));
        var high = v.Update(High, 7);
        Assert.Equal(High, high.Counters[^1].Id);
    }

    [Fact]
    public void From_sorts_dedups_and_drops_zero_counters()
    {
        var v = VersionVector.From([new Counter(C, 1), new Counter(A, 2), new Counter(A, 5), new Counter(B, 0)]);
        Assert.Equal([(A, 5UL), (C, 1UL)], v.Counters.Select(c => (c.Id, c.Value)));
    }

    [Fact]
    public void Merge_is_the_elementwise_maximum()
    {
        var m = V((A, 5), (B, 1)).Merge(V((A, 3), (C, 4)));
        Assert.Equal(V((A, 5), (B, 1), (C, 4)), m);
        Assert.True(V((A, 6), (B, 1)).IsConcurrentWith(V((A, 5), (B, 2))));
    }
}
