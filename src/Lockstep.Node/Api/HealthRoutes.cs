using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Hosting;
using Lockstep.Sync.Folders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lockstep.Node.Api;

/// <summary>
/// The probes a supervisor asks without a key: <c>/healthz</c> (the process answers) and <c>/readyz</c> (the index is
/// open, the peer listener is bound and no folder is in error; 503 with the failing checks otherwise), plus
/// Syncthing's <c>/rest/noauth/health</c>; and <c>/metrics</c>, Prometheus's text format, for the scraper.
/// </summary>
internal static class HealthRoutes
{
    public static void Map(IEndpointRouteBuilder app, NodeHost node)
    {
        app.MapGet("/healthz", () => Results.Json(new HealthAnswer("OK"), ContractsJsonContext.Default.HealthAnswer));
        app.MapGet("/rest/noauth/health", () => Results.Json(new HealthAnswer("OK"), ContractsJsonContext.Default.HealthAnswer));
        app.MapGet("/metrics", () => Results.Text(node.Metrics.Scrape(), Lockstep.Node.Metrics.PrometheusExporter.ContentType));
        app.MapGet("/readyz", () =>
        {
            var answer = Readiness(node);
            return Results.Json(answer, ContractsJsonContext.Default.ReadyAnswer,
                statusCode: answer.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    public static ReadyAnswer Readiness(NodeHost node)
    {
        var checks = new List<ReadyCheck>();
        bool indexOpen;
        try
        {
            indexOpen = node.Index is { } index && index.FolderIds() is not null; // a query: throws once the database is closed
        }
        catch (Exception e) when (e is ObjectDisposedException or Lockstep.Index.IndexException)
        {
            indexOpen = false;
        }
        checks.Add(new ReadyCheck("index", indexOpen, indexOpen ? "open" : "the index database is not open"));
        var listen = node.Peers?.ListenAddress ?? "";
        checks.Add(new ReadyCheck("listener", listen.Length > 0, listen.Length > 0 ? listen : "the peer listener is not bound"));
        foreach (var runner in node.Runners)
        {
            bool failed = runner.State == FolderState.Error;
            checks.Add(new ReadyCheck("folder " + runner.FolderId, !failed,
                failed ? runner.Error ?? "in error" : FolderStatusView.StateName(runner.State)));
        }
        bool ready = checks.All(c => c.Ok);
        return new ReadyAnswer(ready ? "ready" : "not ready", ready, checks);
    }
}
