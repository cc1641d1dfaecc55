using System.Globalization;

namespace Lockstep.Bench;

/// <summary>What every subcommand shares: a settled heap before timing, and the machine-readable RESULT line the scripts parse.</summary>
internal static class BenchOutput
{
    public static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public static string Result(params (string Key, object Value)[] fields) =>
        "RESULT " + string.Join(' ', fields.Select(f => f.Key + "=" + f.Value switch
        {
            double d => d.ToString("0.######", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            var x => x.ToString(),
        }));
}
