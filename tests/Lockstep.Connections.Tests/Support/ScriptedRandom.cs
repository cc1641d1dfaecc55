namespace Lockstep.Connections.Tests.Support;

/// <summary>A Random whose NextDouble returns a fixed value, so backoff jitter is known exactly.</summary>
internal sealed class ScriptedRandom(double value) : Random
{
    public override double NextDouble() => value;

    protected override double Sample() => value;
}
