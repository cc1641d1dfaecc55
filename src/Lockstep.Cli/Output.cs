using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lockstep.Cli;

/// <summary>Prints a command's answer on stdout: JSON with --json, else a table.</summary>
internal static class Output
{
    public static int Rows<T>(IReadOnlyList<T> rows, bool json, JsonTypeInfo<List<T>> jsonInfo, string[] headers, Func<T, string[]> cells)
    {
        if (json)
            Console.Out.WriteLine(JsonSerializer.Serialize(rows as List<T> ?? rows.ToList(), jsonInfo));
        else
            Tables.Write(headers, rows.Select(cells));
        return ExitCodes.Ok;
    }
}
