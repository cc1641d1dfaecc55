namespace Lockstep.Sync.Versioning;

/// <summary>
/// Staggered versioning's thinning, as Syncthing documents it: within the first hour one version per 30 seconds,
/// within the first day one per hour, within 30 days one per day, then one per week until the maximum age;
/// older versions go. Within each bucket the oldest version is kept. Pure, so it is tested on its own.
/// </summary>
public static class StaggeredPlan
{
    private static readonly (TimeSpan Until, TimeSpan Interval)[] Bands =
    [
        (TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)),
        (TimeSpan.FromDays(1), TimeSpan.FromHours(1)),
        (TimeSpan.FromDays(30), TimeSpan.FromDays(1)),
        (TimeSpan.MaxValue, TimeSpan.FromDays(7)),
    ];

    /// <summary>The version times (of one file) to delete at <paramref name="now"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Drop(IReadOnlyList<DateTimeOffset> versions, DateTimeOffset now, TimeSpan maxAge)
    {
        var drop = new List<DateTimeOffset>();
        var kept = new HashSet<(int Band, long Bucket)>();
        foreach (var time in versions.OrderBy(t => t)) // oldest first: the oldest in each bucket stays
        {
            var age = now - time;
            if (maxAge > TimeSpan.Zero && age > maxAge)
            {
                drop.Add(time);
                continue;
            }
            int band = Array.FindIndex(Bands, b => age < b.Until);
            long bucket = (long)Math.Floor(Math.Max(0, age.Ticks) / (double)Bands[band].Interval.Ticks);
            if (!kept.Add((band, bucket)))
                drop.Add(time);
        }
        return drop;
    }
}
