namespace Lockstep.Node.Config;

/// <summary>
/// A configuration that cannot be used: bad YAML, an unknown key, a wrong type, a value out of range or a
/// contradiction between entries. The message names the file (when there is one), where in it or which
/// environment variable, the key, the bad value and the fix; the CLI prints it as is and exits 2.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>; the message is composed from the parts.</summary>
    /// <param name="key">The key path, e.g. <c>folders[1].path</c>; empty when the problem is the whole file.</param>
    /// <param name="value">The offending value as written, if there is one.</param>
    /// <param name="problem">What is wrong, naming the value, e.g. <c>'photos' is a relative path</c>.</param>
    /// <param name="fix">What to do about it, e.g. <c>a folder path must be absolute, e.g. /srv/photos</c>.</param>
    public ConfigException(string key, string? value, string problem, string fix)
        : this(key, value, problem, fix, file: null, location: null)
    {
    }

    private ConfigException(string key, string? value, string problem, string fix, string? file, string? location)
        : base(Compose(key, problem, fix, file, location))
    {
        Key = key;
        Value = value;
        Problem = problem;
        Fix = fix;
        File = file;
        Location = location;
    }

    /// <summary>The key path, e.g. <c>folders[1].path</c> or <c>api.address</c>; empty for whole-file problems such as YAML syntax.</summary>
    public string Key { get; }

    /// <summary>The offending value as written, or null when the problem is a missing or structural one.</summary>
    public string? Value { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }

    /// <summary>The config file the problem is in, or null for a configuration built in code.</summary>
    public string? File { get; }

    /// <summary>Where the value came from: <c>line 12, column 5</c> or <c>environment variable LOCKSTEP_LISTEN</c>; null if unknown.</summary>
    public string? Location { get; }

    /// <summary>The same problem, placed in <paramref name="file"/>; an existing location is kept over <paramref name="location"/>.</summary>
    internal ConfigException InFile(string file, string? location) =>
        new(Key, Value, Problem, Fix, File ?? file, Location ?? location);

    /// <summary>The same problem, attributed to a location (a line, or the environment variable that set the value).</summary>
    internal ConfigException At(string? location) =>
        new(Key, Value, Problem, Fix, File, Location ?? location);

    private static string Compose(string key, string problem, string fix, string? file, string? location)
    {
        var where = (file, location) switch
        {
            (null, null) => "",
            (null, _) => $"{location}: ",
            (_, null) => $"{file}: ",
            _ => $"{file} ({location}): ",
        };
        var what = key.Length == 0 ? "" : $"{key}: ";
        return $"{where}{what}{problem}; {fix}";
    }
}
