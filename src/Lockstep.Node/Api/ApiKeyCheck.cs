using System.Security.Cryptography;
using System.Text;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Microsoft.AspNetCore.Http;

namespace Lockstep.Node.Api;

/// <summary>
/// The API key on every request except the health paths (ARCHITECTURE.md §3): header <c>X-API-Key</c> or
/// <c>Authorization: Bearer</c>, compared in constant time; <c>/metrics</c> too unless <c>api.metricsNoAuth</c> is set.
/// No cookies, so no cross-site request can ride it.
/// </summary>
internal static class ApiKeyCheck
{
    private static readonly string[] Open = ["/healthz", "/readyz", "/rest/noauth/health", "/api/v1/health"];

    public static Func<HttpContext, RequestDelegate, Task> Middleware(string key, bool metricsNoAuth = false)
    {
        var expected = Encoding.UTF8.GetBytes(key);
        return async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (Open.Contains(path, StringComparer.OrdinalIgnoreCase) || (metricsNoAuth && path.Equals("/metrics", StringComparison.OrdinalIgnoreCase)) || Presented(context.Request) is { } given && Matches(given, expected))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(
                new ErrorAnswer("missing or wrong API key: send it as the X-API-Key header (or Authorization: Bearer); it is api.key in the node's config.yaml"),
                ContractsJsonContext.Default.ErrorAnswer);
        };
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var header) && header.Count > 0)
            return header[0];
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private static bool Matches(string given, byte[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(given);
        // FixedTimeEquals is constant-time for equal lengths; hashing first hides the length too.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), SHA256.HashData(expected));
    }
}
