using System.Text.Json;

namespace Lockstep.Contracts;

public sealed partial class ContractsJsonContext
{
    /// <summary>The same contracts written on one line: for SSE data lines and `lockstep events --json`.</summary>
    public static ContractsJsonContext Compact { get; } = new(new JsonSerializerOptions { WriteIndented = false });
}
