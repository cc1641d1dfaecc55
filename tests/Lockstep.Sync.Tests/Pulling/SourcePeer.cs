using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Pulling;

namespace Lockstep.Sync.Tests.Pulling;

/// <summary>A peer for pull tests: answers each Request with the bytes of its own folder, counting requests per file.</summary>
internal sealed class SourcePeer(DeviceId peer, string root, Action? beforeFirstAnswer = null) : IBlockRequester
{
    private readonly Dictionary<string, int> _requests = new();
    private readonly Lazy<bool> _first = new(() =>
    {
        beforeFirstAnswer?.Invoke();
        return true;
    });

    public int RequestsFor(string name)
    {
        lock (_requests)
            return _requests.GetValueOrDefault(name);
    }

    public bool IsConnected(DeviceId device) => device == peer;

    public Task<Response> RequestAsync(DeviceId device, Request request, CancellationToken cancellationToken)
    {
        lock (_requests)
            _requests[request.Name] = _requests.GetValueOrDefault(request.Name) + 1;
        _ = _first.Value; // every request waits for the first one's side effect
        var data = new byte[request.Size];
        using (var handle = File.OpenHandle(Path.Combine(root, request.Name)))
            RandomAccess.Read(handle, data, request.Offset);
        return Task.FromResult(new Response { Id = request.Id, Data = data, Code = ErrorCode.NoError });
    }
}
