using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Api;

/// <summary>Sends ASP.NET Core's own log lines to the node's loggers, so they come out in the node's format.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
