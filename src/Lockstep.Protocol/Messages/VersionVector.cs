using System.Collections.Immutable;
using Lockstep.Protocol.Identity;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// An immutable version vector. Invariant: counters sorted by ID ascending (unsigned), no duplicate IDs,
/// no zero values — the order Syncthing's compare walk assumes (bep-v1.md §5.4).
/// </summary>
public sealed class VersionVector : IEquatable<VersionVector>
{
    public static readonly VersionVector Empty = new(ImmutableArray<Counter>.Empty);

    private VersionVector(ImmutableArray<Counter> counters) => Counters = counters;

    public ImmutableArray<Counter> Counters { get; }

    public bool IsEmpty => Counters.IsEmpty;

    /// <summary>Builds a vector from counters in any order; duplicate IDs keep the highest value, zero values are dropped.</summary>
    public static VersionVector From(IEnumerable<Counter> counters)
    {
        var merged = new SortedDictionary<ulong, ulong>();
        foreach (var c in counters)
        {
            if (c.Value == 0)
                continue;
            merged[c.Id.Value] = merged.TryGetValue(c.Id.Value, out var v) ? Math.Max(v, c.Value) : c.Value;
        }
        return new VersionVector(merged.Select(kv => new Counter(new ShortId(kv.Key), kv.Value)).ToImmutableArray());
    }

    public ulong this[ShortId id]
    {
        get
        {
            foreach (var c in Counters)
                if (c.Id == id)
                    return c.Value;
            return 0;
        }
    }

    /// <summary>
    /// This device's change: its counter becomes max(old + 1, now in Unix seconds), as Syncthing ≥ 1.6 does;
    /// every other counter is kept.
    /// </summary>
    public VersionVector Update(ShortId me, ulong unixSeconds)
    {
        var builder = ImmutableArray.CreateBuilder<Counter>(Counters.Length + 1);
        bool done = false;
        foreach (var c in Counters)
        {
            if (!done && c.Id.Value > me.Value)
            {
                builder.Add(new Counter(me, Math.Max(1, unixSeconds)));
                done = true;
            }
            if (c.Id == me)
            {
                builder.Add(new Counter(me, Math.Max(c.Value + 1, unixSeconds)));
                done = true;
            }
            else
            {
                builder.Add(c);
            }
        }
        if (!done)
            builder.Add(new Counter(me, Math.Max(1, unixSeconds)));
        return new VersionVector(builder.ToImmutable());
    }

    /// <summary>The element-wise maximum of both vectors.</summary>
    public VersionVector Merge(VersionVector other) => From(Counters.Concat(other.Counters));

    /// <summary>Compares this vector (a) with b; both walks go over the union of IDs ascending, missing = 0.</summary>
    public Ordering Compare(VersionVector b)
    {
        bool aGreater = false, bGreater = false;
        Ordering? firstDifference = null;
        int i = 0, j = 0;
        var ac = Counters;
        var bc = b.Counters;
        while (i < ac.Length || j < bc.Length)
        {
            ulong av, bv;
            if (j >= bc.Length || (i < ac.Length && ac[i].Id.Value < bc[j].Id.Value))
            {
                av = ac[i++].Value;
                bv = 0;
            }
            else if (i >= ac.Length || bc[j].Id.Value < ac[i].Id.Value)
            {
                av = 0;
                bv = bc[j++].Value;
            }
            else
            {
                av = ac[i++].Value;
                bv = bc[j++].Value;
            }
            if (av > bv)
            {
                aGreater = true;
                firstDifference ??= Ordering.ConcurrentGreater;
            }
            else if (bv > av)
            {
                bGreater = true;
                firstDifference ??= Ordering.ConcurrentLesser;
            }
        }
        return (aGreater, bGreater) switch
        {
            (false, false) => Ordering.Equal,
            (true, false) => Ordering.Greater,
            (false, true) => Ordering.Lesser,
            _ => firstDifference!.Value,
        };
    }

    public bool IsConcurrentWith(VersionVector other) => Compare(other) is Ordering.ConcurrentGreater or Ordering.ConcurrentLesser;

    public bool Equals(VersionVector? other) => other is not null && Counters.SequenceEqual(other.Counters);
    public override bool Equals(object? obj) => obj is VersionVector v && Equals(v);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var c in Counters)
            h.Add(c);
        return h.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", Counters.Select(c => $"{c.Id}:{c.Value}")) + "}";
}
