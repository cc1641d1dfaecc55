using Spectre.Console;

namespace Lockstep.Cli;

/// <summary>Human tables on stdout (Spectre.Console), plain when stdout is not a terminal.</summary>
internal static class Tables
{
    public static void Write(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in headers)
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in rows)
            table.AddRow(row.Select(c => new Text(c)).ToArray<Spectre.Console.Rendering.IRenderable>());
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
            console.Profile.Width = 200;
        console.Write(table);
    }
}
