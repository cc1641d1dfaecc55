using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Dialing;
using Lockstep.Connections.Tls;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tests.Support;

/// <summary>
/// One node's connection layer on loopback: a fresh certificate, a trust list the test edits, a pending registry,
/// a dialer and (after <see cref="ListenAsync"/>) a listener whose refusals are collected.
/// </summary>
internal sealed class TestPeer : IAsyncDisposable
{
    private readonly MutableTrust _trust = new();

    private TestPeer(X509Certificate2 certificate, TimeSpan? handshakeTimeout, TimeProvider? clock)
    {
        Certificate = certificate;
        Id = DeviceCertificate.IdOf(certificate);
        Pending = new PendingDevices();
        Authenticator = new PeerAuthenticator(Id, _trust, Pending, clock);
        Options = new TlsOptions(certificate) { HandshakeTimeout = handshakeTimeout ?? TlsOptions.DefaultHandshakeTimeout };
        Dialer = new TlsDialer(Options, Authenticator);
    }

    public X509Certificate2 Certificate { get; }
    public DeviceId Id { get; }
    public PendingDevices Pending { get; }
    public PeerAuthenticator Authenticator { get; }
    public TlsOptions Options { get; }
    public TlsDialer Dialer { get; }
    public TlsListener? Listener { get; private set; }

    /// <summary>Refusals seen by the listener, in order. The stream is gone by the time a test reads them.</summary>
    public ConcurrentQueue<RefusedConnection> Refused { get; } = new();

    /// <summary>Runs inside the listener's refusal callback while the refused stream is still open.</summary>
    public Func<RefusedConnection, CancellationToken, ValueTask>? OnRefused { get; set; }

    public string Address => Listener!.Address.ToString();

    public static TestPeer Create(TimeSpan? handshakeTimeout = null, TimeProvider? clock = null, X509Certificate2? certificate = null) =>
        new(certificate ?? DeviceCertificate.Generate(), handshakeTimeout, clock);

    public TestPeer Trust(params TestPeer[] peers)
    {
        foreach (var p in peers)
            _trust.Configured[p.Id] = true;
        return this;
    }

    public TestPeer Trust(DeviceId id)
    {
        _trust.Configured[id] = true;
        return this;
    }

    public TestPeer Ignore(DeviceId id)
    {
        _trust.Ignored[id] = true;
        return this;
    }

    public async Task<string> ListenAsync(string address = "tcp://127.0.0.1:0")
    {
        Listener = new TlsListener(Options, Authenticator)
        {
            OnRefused = async (refused, ct) =>
            {
                if (OnRefused is { } hook)
                    await hook(refused, ct);
                Refused.Enqueue(refused);
            },
        };
        await Listener.StartAsync(address);
        return Address;
    }

    /// <summary>Waits for the listener's next authenticated connection, failing the test after <paramref name="timeout"/>.</summary>
    public async Task<SecureConnection> AcceptAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await Listener!.AcceptAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no connection was accepted within {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds} s; refusals: " +
                string.Join("; ", Refused.Select(r => $"{r.Error}: {r.Message}")));
        }
    }

    public Task<RefusedConnection> RefusalAsync(Func<RefusedConnection, bool> match, TimeSpan? timeout = null) =>
        Lockstep.Testing.Eventually.ValueAsync(() => Refused.FirstOrDefault(match), timeout ?? TimeSpan.FromSeconds(15), "a refusal");

    public async ValueTask DisposeAsync()
    {
        if (Listener is not null)
            await Listener.DisposeAsync();
    }

    private sealed class MutableTrust : ITrustPolicy
    {
        public ConcurrentDictionary<DeviceId, bool> Configured { get; } = new();
        public ConcurrentDictionary<DeviceId, bool> Ignored { get; } = new();

        public DeviceStanding Classify(DeviceId deviceId, X509Certificate2 certificate) =>
            Configured.ContainsKey(deviceId) ? DeviceStanding.Configured
            : Ignored.ContainsKey(deviceId) ? DeviceStanding.Ignored
            : DeviceStanding.Unknown;
    }
}
