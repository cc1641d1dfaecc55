using System.CommandLine;
using Lockstep.Cli.Commands;
using Lockstep.Node.Home;

namespace Lockstep.Cli.Client;

/// <summary>The options every command that talks to a running node takes: --home, --api, --api-key and --json.</summary>
internal sealed class NodeOptions
{
    public Option<string?> Home { get; } = CommonOptions.Home();

    public Option<string?> Api { get; } = new("--api") { Description = "The node's API: HOST:PORT, https://HOST:PORT or unix:/PATH (default: from HOME/runtime.json, or $LOCKSTEP_API_ADDRESS)" };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "The API key (default: api.key in the home's config.yaml, or $LOCKSTEP_API_KEY)" };

    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>Adds these options to <paramref name="command"/> and returns it.</summary>
    public Command AddTo(Command command)
    {
        command.Options.Add(Home);
        command.Options.Add(Api);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
        return command;
    }

    /// <summary>The running node's API; exit 1 naming the home and the fix when none runs.</summary>
    public NodeClient Connect(ParseResult parse) => NodeClient.Connect(NodeHome.Resolve(parse.GetValue(Home)), parse.GetValue(Api), parse.GetValue(ApiKey));

    /// <summary>The running node's API, or null when none runs for the home (offline commands fall back).</summary>
    public NodeClient? TryConnect(NodeHome home, ParseResult parse) => NodeClient.TryConnect(home, parse.GetValue(Api), parse.GetValue(ApiKey));
}
