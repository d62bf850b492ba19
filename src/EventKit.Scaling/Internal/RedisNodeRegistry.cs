using System.Text.Json;
using EventKit.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Scaling.Internal;

/// <summary>
/// The node registry: a string key per node (JSON, time to live two heartbeat intervals) and a sorted set of node ids
/// to list them. Entries whose key expired are dropped from the set by whoever lists next. Also the gate ownership
/// (rendezvous hashing over the list).
/// </summary>
internal sealed class RedisNodeRegistry : INodeRegistry, IGateOwnership
{
    private static readonly string PackageVersion = typeof(RedisNodeRegistry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    private readonly IRedisConnection _redis;
    private readonly ScalingOptions _options;
    private readonly INodeLoadSource _load;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<NodeInfo> _nodes = [];
    private string[] _owners = [];
    private long _registeredUntilTicks;
    private bool _degradedLogged;

    public RedisNodeRegistry(IRedisConnection redis, ScalingOptions options, string nodeId, INodeLoadSource load, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _options = options;
        _load = load;
        _time = time;
        _logger = logger;
        LocalNodeId = nodeId;
        _startedAt = time.GetUtcNow();
    }

    public event EventHandler<NodeEventArgs>? NodeJoined;

    public event EventHandler<NodeEventArgs>? NodeLeft;

    public string LocalNodeId { get; }

    public IReadOnlyList<NodeInfo> Nodes => Volatile.Read(ref _nodes);

    public bool IsRegistered => _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _registeredUntilTicks);

    public bool Draining { get; set; }

    private TimeSpan Ttl => _options.HeartbeatInterval * 2;

    private string NodesKey => _options.KeyPrefix + "nodes";

    private string NodeKey(string id) => _options.KeyPrefix + "node:" + id;

    public string? OwnerOf(long gateId) => RendezvousHash.Owner(gateId, Volatile.Read(ref _owners));

    public bool IsOwnedLocally(long gateId) => IsRegistered && !_options.ObserveOnly && string.Equals(OwnerOf(gateId), LocalNodeId, StringComparison.Ordinal);

    public async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _time.GetUtcNow();
            if (!_redis.TryGetDatabase(out var database))
            {
                Degraded("not connected");
                return;
            }

            if (_options.ObserveOnly)
            {
                // A watcher (a balancer): lists the nodes, is not one of them.
                try
                {
                    await RefreshAsync(database, cancellationToken).ConfigureAwait(false);
                    Interlocked.Exchange(ref _registeredUntilTicks, (started + Ttl).UtcTicks);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    Degraded(e.GetType().Name);
                }

                return;
            }

            var load = _load.Sample();
            var self = new NodeInfo(LocalNodeId, _options.AdvertisedUrl, PackageVersion, _startedAt, started, load.CpuUtilization, load.Load, load.WriterBacklog, Draining);
            var json = JsonSerializer.Serialize(self, ScalingJson.Default.NodeInfo);
            try
            {
                var batch = database.CreateBatch();
                var set = batch.StringSetAsync(NodeKey(LocalNodeId), json, Ttl);
                var add = batch.SortedSetAddAsync(NodesKey, LocalNodeId, started.ToUnixTimeMilliseconds());
                batch.Execute();
                await Task.WhenAll(set, add).WaitAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _registeredUntilTicks, (started + Ttl).UtcTicks);
                if (_degradedLogged)
                {
                    _degradedLogged = false;
                }

                await RefreshAsync(database, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Degraded(e.GetType().Name);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes this node's entry (graceful stop), so the others see it leave at once.</summary>
    public async Task DeregisterAsync(CancellationToken cancellationToken)
    {
        if (_options.ObserveOnly || !_redis.TryGetDatabase(out var database))
        {
            return;
        }

        try
        {
            await database.KeyDeleteAsync(NodeKey(LocalNodeId)).WaitAsync(cancellationToken).ConfigureAwait(false);
            await database.SortedSetRemoveAsync(NodesKey, LocalNodeId).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Degraded(e.GetType().Name);
        }

        Interlocked.Exchange(ref _registeredUntilTicks, 0);
    }

    private async Task RefreshAsync(IDatabase database, CancellationToken cancellationToken)
    {
        var ids = await database.SortedSetRangeByRankAsync(NodesKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        var keys = new RedisKey[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            keys[i] = NodeKey(ids[i]!);
        }

        // One GET per node, pipelined, rather than one MGET: on a Redis Cluster the entries live in different slots.
        var values = ids.Length == 0 ? [] : await Task.WhenAll(keys.Select(k => database.StringGetAsync(k))).WaitAsync(cancellationToken).ConfigureAwait(false);
        var live = new List<NodeInfo>(ids.Length);
        var gone = new List<RedisValue>();
        for (var i = 0; i < ids.Length; i++)
        {
            NodeInfo? node = null;
            if (values[i].HasValue)
            {
                try
                {
                    node = JsonSerializer.Deserialize((string)values[i]!, ScalingJson.Default.NodeInfo);
                }
                catch (JsonException)
                {
                    node = null;
                }
            }

            if (node is null)
            {
                gone.Add(ids[i]);
            }
            else
            {
                live.Add(node);
            }
        }

        if (gone.Count > 0)
        {
            await database.SortedSetRemoveAsync(NodesKey, [.. gone]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        live.Sort(static (a, b) => string.CompareOrdinal(a.NodeId, b.NodeId));
        var previous = Volatile.Read(ref _nodes);
        Volatile.Write(ref _nodes, live);
        Volatile.Write(ref _owners, live.Where(static n => !n.Draining).Select(static n => n.NodeId).ToArray());

        foreach (var node in live)
        {
            if (!previous.Any(p => p.NodeId == node.NodeId))
            {
                Log.NodeJoined(_logger, node.NodeId);
                NodeJoined?.Invoke(this, new NodeEventArgs(node));
            }
        }

        foreach (var node in previous)
        {
            if (!live.Any(p => p.NodeId == node.NodeId))
            {
                Log.NodeLeft(_logger, node.NodeId);
                NodeLeft?.Invoke(this, new NodeEventArgs(node));
            }
        }
    }

    private void Degraded(string error)
    {
        if (!_degradedLogged)
        {
            _degradedLogged = true;
            Log.HeartbeatFailed(_logger, LocalNodeId, error);
        }
    }
}
