namespace Lockstep.Node.Hosting;

/// <summary>The node could not start (its listen address is taken, say); the message names the cause and the fix.</summary>
public sealed class NodeStartException(string message, Exception? inner = null) : Exception(message, inner);
