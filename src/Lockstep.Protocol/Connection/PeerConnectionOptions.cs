using Lockstep.Protocol.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lockstep.Protocol.Connection;

/// <summary>Frozen settings of one connection. Defaults are Syncthing's (bep-v1.md §5.8, §5.10).</summary>
public sealed record PeerConnectionOptions
{
    /// <summary>A Ping goes out when nothing was sent for this long. Defaults to 45 s.</summary>
    public TimeSpan PingAfterIdle { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The connection closes when nothing was received for this long. Defaults to 300 s.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a Close may take to go out before the socket is dropped anyway. Defaults to 10 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How we compress what we send (the peer's configured setting). Defaults to metadata.</summary>
    public CompressionMode Compression { get; init; } = CompressionMode.Metadata;

    public ProtocolLimits Limits { get; init; } = ProtocolLimits.Default;

    /// <summary>Requests from the peer served at once; more wait, which pushes back through TCP. Defaults to 256 (32 MiB of 128 KiB blocks).</summary>
    public int MaxConcurrentRequests { get; init; } = 256;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
