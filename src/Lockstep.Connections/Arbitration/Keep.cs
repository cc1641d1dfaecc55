namespace Lockstep.Connections.Arbitration;

/// <summary>Which of the two connections to a device survives.</summary>
public enum Keep
{
    /// <summary>Keep the connection we already had; close the new one.</summary>
    Existing,

    /// <summary>Switch to the new connection; close the old one.</summary>
    Candidate,
}
