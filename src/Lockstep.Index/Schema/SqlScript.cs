namespace Lockstep.Index.Schema;

/// <summary>
/// One embedded SQL file. <see cref="Number"/> is the leading number of its name: the run order of a
/// schema script, the version a migration produces.
/// </summary>
internal sealed record SqlScript(string Name, string Text)
{
    public int Number { get; } = ParseNumber(Name);

    private static int ParseNumber(string name)
    {
        var file = name[(name.LastIndexOf('/') + 1)..];
        int dash = file.IndexOf('-');
        if (dash <= 0 || !int.TryParse(file.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out int number))
            throw new ArgumentException($"SQL script '{name}' is not named NN-description.sql", nameof(name));
        return number;
    }
}
