using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Api;

/// <summary>
/// Sends ASP.NET Core's own log lines (Kestrel, hosting) into the node's loggers under "Lockstep.Api.", so every
/// line the node writes has a Lockstep category and an operator can filter the API's lines as one.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger("Lockstep.Api." + categoryName);

    public void Dispose()
    {
    }
}
