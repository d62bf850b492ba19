using System.Net.Http.Headers;
using EventKit.Scaling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// BLE reports are processed by the owner of the gateway's gate (EventKit.Scaling's rendezvous ownership), so one node
/// holds a gate's whole presence state even when its gateways post to different nodes. A report that reaches another
/// node is passed to the owner over HTTP once (marked with <see cref="ForwardedHeader"/>, which the owner never passes
/// on); when the owner cannot be reached, this node processes it itself (no report is lost; the gate's state is split
/// until ownership settles). Without EventKit.Scaling every node processes its own reports.
/// </summary>
internal sealed class GateOwnerForwarder : IDisposable
{
    /// <summary>Set on a report passed to the gate's owner: the node that passed it.</summary>
    public const string ForwardedHeader = "X-EventKit-Forwarded-By";

    /// <summary>Set on every report response when scaling is on: the node that processed the report.</summary>
    public const string ProcessedByHeader = "X-EventKit-Processed-By";

    /// <summary>Reports larger than this (or of unknown length) are processed where they arrive: a forward buffers the body.</summary>
    internal const int MaxForwardBytes = 1024 * 1024;

    private readonly IGateOwnership? _ownership;
    private readonly INodeRegistry? _registry;
    private readonly ILogger _logger;
    private readonly HttpClient _client;

    public GateOwnerForwarder(IServiceProvider services, ILogger<GateOwnerForwarder> logger)
    {
        _ownership = services.GetService<IGateOwnership>();
        _registry = services.GetService<INodeRegistry>();
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>This node's id when scaling is on, for <see cref="ProcessedByHeader"/>.</summary>
    public string? LocalNodeId => _registry?.LocalNodeId;

    /// <summary>The owner's URL when the report should be passed to another node; otherwise <see langword="null"/>.</summary>
    public Uri? OwnerUrlFor(HttpContext context, long gateId)
    {
        if (_ownership is null || _registry is null || context.Request.Headers.ContainsKey(ForwardedHeader)
            || context.Request.ContentLength is not (> 0 and <= MaxForwardBytes) || _ownership.IsOwnedLocally(gateId))
        {
            return null;
        }

        var owner = _ownership.OwnerOf(gateId);
        foreach (var node in _registry.Nodes)
        {
            if (string.Equals(node.NodeId, owner, StringComparison.Ordinal) && !string.Equals(owner, _registry.LocalNodeId, StringComparison.Ordinal)
                && Uri.TryCreate(node.Url, UriKind.Absolute, out var url))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>Passes the report (already read into <paramref name="body"/>) to the owner; <see langword="null"/> when it could not be reached.</summary>
    public async Task<IResult?> ForwardAsync(HttpContext context, Uri owner, ReadOnlyMemory<byte> body, string gatewayKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(owner, context.Request.Path + context.Request.QueryString))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType!);
        request.Headers.Add(GatewayEndpoints.KeyHeader, gatewayKey);
        request.Headers.Add(ForwardedHeader, _registry!.LocalNodeId);
        try
        {
            using var response = await _client.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                // Overloaded, stopping or failing: the report is processed here rather than lost.
                Log.ForwardToOwnerFailed(_logger, owner.Authority, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
            if (response.Headers.TryGetValues(ProcessedByHeader, out var processedBy))
            {
                context.Response.Headers[ProcessedByHeader] = processedBy.FirstOrDefault();
            }

            if (response.Headers.RetryAfter?.Delta is { } retry)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new ForwardedResult((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), bytes);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            Log.ForwardToOwnerFailed(_logger, owner.Authority, e.GetType().Name);
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
