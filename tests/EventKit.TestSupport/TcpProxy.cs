using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace EventKit.Testing;

/// <summary>
/// A TCP proxy on a free loopback port in front of one upstream port, for fault tests: it adds latency to every byte
/// in both directions, drops every open connection on command (a reset, as a broken network path would) and can
/// refuse new ones. Put it between an application and PostgreSQL or Redis by giving the application its port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Link> _links = new();
    private readonly Task _accepting;
    private long _nextLink;
    private long _latencyTicks;
    private volatile bool _refuseNew;

    private TcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port the proxy listens on (loopback).</summary>
    public int Port { get; }

    /// <summary>Connections open through the proxy now.</summary>
    public int OpenConnections => _links.Count;

    /// <summary>
    /// Delay added to every chunk of data, in each direction (so a request/response round trip pays it twice).
    /// Chunks keep their order and the link its throughput: each is delivered at its arrival time plus the latency.
    /// </summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Whether new connections are reset as soon as they are accepted (as if the path were down).</summary>
    public bool RefuseNewConnections
    {
        get => _refuseNew;
        set => _refuseNew = value;
    }

    /// <summary>Starts a proxy to <c>127.0.0.1:<paramref name="upstreamPort"/></c>.</summary>
    public static TcpProxy Start(int upstreamPort) => new(upstreamPort);

    /// <summary>Resets every open connection (both sides); returns how many were dropped.</summary>
    public int DropAll()
    {
        var dropped = 0;
        foreach (var (id, link) in _links)
        {
            if (_links.TryRemove(id, out _))
            {
                link.Reset();
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>No latency, new connections accepted.</summary>
    public void Heal()
    {
        Latency = TimeSpan.Zero;
        RefuseNewConnections = false;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        if (_refuseNew)
        {
            ResetAndClose(client);
            return;
        }

        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(5));
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _upstreamPort), connectTimeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The upstream is down: so is the path through the proxy.
            ResetAndClose(upstream);
            ResetAndClose(client);
            return;
        }

        var link = new Link(client, upstream);
        var id = Interlocked.Increment(ref _nextLink);
        _links[id] = link;
        try
        {
            await Task.WhenAll(PumpAsync(client, upstream, link), PumpAsync(upstream, client, link));
        }
        finally
        {
            _links.TryRemove(id, out _);
            link.Reset();
        }
    }

    /// <summary>Reads from <paramref name="from"/>, delivers to <paramref name="to"/> at arrival + latency, in order.</summary>
    private async Task PumpAsync(Socket from, Socket to, Link link)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Data, int Length, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = DeliverAsync(chunks.Reader, to, link);
        try
        {
            while (!link.Token.IsCancellationRequested)
            {
                var buffer = new byte[16 * 1024];
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, link.Token);
                if (read == 0)
                {
                    break;
                }

                var due = Environment.TickCount64 + (long)Latency.TotalMilliseconds;
                chunks.Writer.TryWrite((buffer, read, due));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        await writing;

        // The peer closed its side: pass the close on once the data before it is delivered.
        link.Close();
    }

    private static async Task DeliverAsync(ChannelReader<(byte[] Data, int Length, long Due)> chunks, Socket to, Link link)
    {
        try
        {
            await foreach (var (data, length, due) in chunks.ReadAllAsync(link.Token))
            {
                var wait = due - Environment.TickCount64;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), link.Token);
                }

                var sent = 0;
                while (sent < length)
                {
                    sent += await to.SendAsync(data.AsMemory(sent, length - sent), SocketFlags.None, link.Token);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            link.Reset();
        }
    }

    private static void ResetAndClose(Socket socket)
    {
        try
        {
            // Linger 0: close sends RST, as a broken path does, instead of an orderly FIN.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>One client connection and its upstream connection.</summary>
    private sealed class Link(Socket client, Socket upstream)
    {
        private readonly CancellationTokenSource _cancel = new();
        private int _closed;

        public CancellationToken Token => _cancel.Token;

        /// <summary>Resets both sides (RST), as a broken path does.</summary>
        public void Reset()
        {
            if (Stop())
            {
                ResetAndClose(client);
                ResetAndClose(upstream);
            }
        }

        /// <summary>Closes both sides in order (FIN), passing on a peer's close.</summary>
        public void Close()
        {
            if (Stop())
            {
                client.Close();
                upstream.Close();
            }
        }

        /// <summary>Stops both pumps; false when the link was already stopped.</summary>
        private bool Stop()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1)
            {
                return false;
            }

            _cancel.Cancel();
            return true;
        }
    }
}
