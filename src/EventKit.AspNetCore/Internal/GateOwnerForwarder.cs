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

    /// <summary>How long a check-in passed to its gate's owner may take before this node answers 503.</summary>
    internal static readonly TimeSpan CheckInForwardTimeout = TimeSpan.FromSeconds(3);

    private readonly IGateOwnership? _ownership;
    private readonly INodeRegistry? _registry;
    private readonly IGateLeases? _leases;
    private readonly ILogger _logger;
    private readonly HttpClient _client;

    public GateOwnerForwarder(IServiceProvider services, ILogger<GateOwnerForwarder> logger)
    {
        _ownership = services.GetService<IGateOwnership>();
        _registry = services.GetService<INodeRegistry>();
        _leases = services.GetService<IGateLeases>();
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

        return UrlOf(_ownership.OwnerOf(gateId));
    }

    private Uri? UrlOf(string? owner)
    {
        foreach (var node in _registry!.Nodes)
        {
            if (string.Equals(node.NodeId, owner, StringComparison.Ordinal) && !string.Equals(owner, _registry.LocalNodeId, StringComparison.Ordinal)
                && Uri.TryCreate(node.Url, UriKind.Absolute, out var url))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>
    /// With the gate-owned fast path (<see cref="IGateLeases"/>): <see langword="null"/> when this node holds the gate's
    /// lease and decides the check-in itself; otherwise the answer of the gate's owner (the check-in passed on once, over
    /// <c>POST /api/v1/gates/{gateId}/checkins</c>, marked with <see cref="ForwardedHeader"/>), or 503 with Retry-After
    /// when the owner cannot be reached in time, the check-in was already passed on once, or ownership is moving. Nothing
    /// is admitted on a guess. Without the fast path, <see langword="null"/>.
    /// </summary>
    public async ValueTask<IResult?> RouteCheckInAsync(HttpContext context, long gateId, CheckInBody body)
    {
        if (_leases is null)
        {
            return null;
        }

        // Only real gates of this event take a lease (random gate ids must not fill Redis and this node with leases): an
        // unknown gate goes to the pipeline, which answers unknown_gate without touching the claims.
        var gate = await context.RequestServices.GetRequiredService<IGateDirectory>().GetAsync(gateId, context.RequestAborted).ConfigureAwait(false);
        if (gate is null || gate.EventId != context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventKitOptions>>().Value.EventId)
        {
            return null;
        }

        var status = await _leases.EnsureAsync(gateId, context.RequestAborted).ConfigureAwait(false);
        if (status.State == GateLeaseState.Held)
        {
            context.Response.Headers[ProcessedByHeader] = _registry!.LocalNodeId;
            return null;
        }

        if (status.State == GateLeaseState.OwnedElsewhere && !context.Request.Headers.ContainsKey(ForwardedHeader) && UrlOf(status.OwnerNodeId) is { } owner)
        {
            body.GateId = gateId;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(owner, $"/api/v1/gates/{gateId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/checkins"))
            {
                Content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.CheckInBody)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (context.Request.Headers.TryGetValue(CheckInEndpoints.ScannerKeyHeader, out var key))
            {
                request.Headers.Add(CheckInEndpoints.ScannerKeyHeader, key.ToString());
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(CheckInForwardTimeout);
            if (await SendAsync(context, owner, request, relayServerErrors: true, timeout.Token).ConfigureAwait(false) is { } answer)
            {
                return answer;
            }
        }
        else
        {
            Log.GateOwnershipMoving(_logger, gateId, status.State.ToString());
        }

        return CheckInResult.Unavailable(gateId, TimeSpan.FromSeconds(1)).ToHttpResult();
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
        return await SendAsync(context, owner, request, relayServerErrors: false, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<IResult?> SendAsync(HttpContext context, Uri owner, HttpRequestMessage request, bool relayServerErrors, CancellationToken cancellationToken)
    {
        request.Headers.Add(ForwardedHeader, _registry!.LocalNodeId);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500 && !relayServerErrors)
            {
                // Overloaded, stopping or failing: the report is processed here rather than lost.
                Log.ForwardToOwnerFailed(_logger, owner.Authority, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
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
            if (relayServerErrors)
            {
                Log.CheckInForwardFailed(_logger, owner.Authority, e.GetType().Name);
            }
            else
            {
                Log.ForwardToOwnerFailed(_logger, owner.Authority, e.GetType().Name);
            }

            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
