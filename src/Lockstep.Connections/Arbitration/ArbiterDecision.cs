namespace Lockstep.Connections.Arbitration;

/// <summary>The arbiter's answer: which connection to keep, by which rule, and the reason to send when closing the other.</summary>
public readonly record struct ArbiterDecision(Keep Keep, ArbiterRule Rule)
{
    /// <summary>Syncthing's Close reason when a device's connection is switched (<c>errReplacingConnection</c>).</summary>
    public const string ReplacingConnection = "replacing connection";

    /// <summary>The reason for the BEP Close message on the connection that loses.</summary>
    public string CloseReason => ReplacingConnection;
}
