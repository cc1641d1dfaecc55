using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Hosting;
using Lockstep.Protocol.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lockstep.Node.Api;

/// <summary>
/// <c>/rest/cluster/pending/devices</c> as in Syncthing: the devices that tried to connect and are not configured
/// (keyed by device ID, with when and from where). A person accepts one by adding it (POST /rest/config/devices),
/// which takes it off the list, or dismisses it with DELETE <c>?device=ID</c>.
/// </summary>
internal static class PendingRoutes
{
    public static void Map(IEndpointRouteBuilder app, NodeHost node)
    {
        app.MapGet("/rest/cluster/pending/devices", () =>
        {
            var pending = (node.Peers?.Pending.Snapshot() ?? []).ToDictionary(p => p.DeviceId.ToString(), p => new PendingDeviceEntry(p.LastSeen, "", p.Address));
            return Results.Json(pending, ContractsJsonContext.Default.DictionaryStringPendingDeviceEntry);
        });
        app.MapDelete("/rest/cluster/pending/devices", (string? device) =>
        {
            if (!DeviceId.TryParse(device ?? "", out var id, out var why))
                return Results.Json(new ErrorAnswer($"device '{device}' is not a device ID ({why}): add ?device=ID"), ContractsJsonContext.Default.ErrorAnswer,
                    statusCode: StatusCodes.Status400BadRequest);
            return node.Peers?.Pending.Remove(id) == true
                ? Results.Ok()
                : Results.Json(new ErrorAnswer($"device {id} is not pending"), ContractsJsonContext.Default.ErrorAnswer, statusCode: StatusCodes.Status404NotFound);
        });
    }
}
