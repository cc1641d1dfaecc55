using System.Globalization;
using System.Text.Json;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lockstep.Node.Api;

/// <summary>
/// <c>GET /rest/events</c>: Syncthing's long poll (<c>since</c>, <c>events</c>, <c>limit</c>, <c>timeout</c> in seconds,
/// default 60), or, with <c>Accept: text/event-stream</c>, Server-Sent Events: a comment at once on connect, then
/// every event as <c>id</c>/<c>event</c>/<c>data</c>, a comment every 15 s while nothing happens, resumed after the
/// <c>Last-Event-ID</c> header (or <c>since</c>).
/// </summary>
internal static class EventRoutes
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder app, EventLog events)
    {
        app.MapGet("/rest/events", async (HttpContext context, long? since, int? limit, double? timeout) =>
        {
            var accept = Filter(context.Request.Query["events"].ToString());
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            if (context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                long from = since ?? 0;
                if (long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long last))
                    from = last;
                await StreamAsync(context, events, from, accept, linked.Token);
                return Results.Empty;
            }
            if (timeout is < 0 or > 3600 || double.IsNaN(timeout ?? 0))
                return Results.Json(new ErrorAnswer($"timeout={timeout}: give the seconds to wait for an event, from 0 to 3600 (default 60)"), statusCode: StatusCodes.Status400BadRequest);
            IReadOnlyList<EventEntry> found;
            try
            {
                found = await events.WaitAsync(since ?? 0, accept, limit, TimeSpan.FromSeconds(timeout ?? 60), linked.Token);
            }
            catch (OperationCanceledException)
            {
                found = events.Since(since ?? 0, accept, limit); // the node is stopping, or the client left
            }
            return Results.Json(found.ToList(), ContractsJsonContext.Default.ListEventEntry);
        });
    }

    /// <summary>Syncthing's <c>events=</c>: a comma-separated list of types, or every type when empty.</summary>
    private static Func<string, bool>? Filter(string types)
    {
        if (string.IsNullOrWhiteSpace(types))
            return null;
        var wanted = new HashSet<string>(types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        return wanted.Contains;
    }

    private static async Task StreamAsync(HttpContext context, EventLog events, long since, Func<string, bool>? accept, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync(": connected\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var found = await events.WaitAsync(since, accept, null, Heartbeat, cancellationToken);
                if (found.Count == 0)
                {
                    await response.WriteAsync(": keepalive\n\n", cancellationToken);
                }
                else
                {
                    foreach (var e in found)
                    {
                        var json = JsonSerializer.Serialize(e, ContractsJsonContext.Compact.EventEntry);
                        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {e.Id}\nevent: {e.Type}\ndata: {json}\n\n"), cancellationToken);
                        since = e.Id;
                    }
                }
                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the node is stopping.
        }
        catch (IOException)
        {
        }
    }
}
