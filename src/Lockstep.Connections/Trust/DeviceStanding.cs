namespace Lockstep.Connections.Trust;

/// <summary>What our configuration says about a device that connected.</summary>
public enum DeviceStanding
{
    /// <summary>Not configured: refuse it and record it as pending so a person can accept it.</summary>
    Unknown,

    /// <summary>Configured: accept it.</summary>
    Configured,

    /// <summary>Explicitly ignored: refuse it quietly, without recording it as pending.</summary>
    Ignored,
}
