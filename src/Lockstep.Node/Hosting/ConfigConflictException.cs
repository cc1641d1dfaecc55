namespace Lockstep.Node.Hosting;

/// <summary>config.yaml changed between an editor's read and its write (the API or an introducer changed it meanwhile).</summary>
public sealed class ConfigConflictException(string path)
    : Exception($"{path} changed while it was being edited (through the API, or by an introducer); read it again and retry");
