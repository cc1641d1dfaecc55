using Lockstep.Node.Config;

namespace Lockstep.Integration.Tests.Support;

/// <summary>
/// Two real nodes, A and B, sharing folder "f" on 127.0.0.1, started before each test and stopped after it; the base
/// of the tests that talk to a node's REST API.
/// </summary>
public abstract class ApiPairTests : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>For <see cref="Client"/>: send the key from the node's config.yaml.</summary>
    protected const string ConfiguredKey = "config";

    protected TestNode A { get; private set; } = null!;
    protected TestNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = TestNode.Create("a");
        B = TestNode.Create("b");
        TestNode.Share("f", A, B);
        BeforeStart();
        await A.StartAsync();
        await B.StartAsync();
    }

    /// <summary>A chance to change either node's configuration before it starts.</summary>
    protected virtual void BeforeStart()
    {
    }

    public virtual async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>The node's API key, as its config.yaml holds it.</summary>
    protected static string KeyOf(TestNode node) => ConfigFile.Load(node.Home.ConfigPath).Api.Key;

    /// <summary>An HTTP client for the node's API sending <paramref name="key"/> (the configured one by default; none when null).</summary>
    protected static HttpClient Client(TestNode node, string? key = ConfiguredKey)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{node.Host.Api!.Address}/"), Timeout = TimeSpan.FromSeconds(90) };
        if (key is not null)
            http.DefaultRequestHeaders.Add("X-API-Key", key == ConfiguredKey ? KeyOf(node) : key);
        return http;
    }
}
