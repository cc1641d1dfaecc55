namespace Lockstep.Protocol;

/// <summary>
/// The peer broke BEP v1 (or we were about to). The one exception type of the wire layer: <see cref="Error"/>
/// says what kind of violation it is, the message says exactly what and where, fit to be sent as a Close reason.
/// </summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(ProtocolError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>The kind of violation.</summary>
    public ProtocolError Error { get; }
}
