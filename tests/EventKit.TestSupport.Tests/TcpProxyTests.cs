using System.Net;
using System.Net.Sockets;
using System.Text;
using EventKit.Testing;

namespace EventKit.TestSupport.Tests;

public sealed class TcpProxyTests : IAsyncLifetime
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;

    public Task InitializeAsync()
    {
        _echo.Start();
        _serving = ServeAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _echo.Stop();
        await _serving!;
        _stop.Dispose();
    }

    [Fact]
    public async Task Carries_bytes_both_ways_in_order_with_latency_added()
    {
        await using var proxy = TcpProxy.Start(EchoPort);
        proxy.Latency = TimeSpan.FromMilliseconds(20);
        using var client = await ConnectAsync(proxy);
        var stream = client.GetStream();
        var sent = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            var chunk = $"chunk {i};";
            sent.Append(chunk);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(chunk));
        }

        Assert.Equal(sent.ToString(), await ReadAsync(stream, sent.Length));
        Assert.Equal(1, proxy.OpenConnections);
    }

    [Fact]
    public async Task Drops_open_connections_refuses_new_ones_and_heals()
    {
        await using var proxy = TcpProxy.Start(EchoPort);
        using var open = await ConnectAsync(proxy);
        await open.GetStream().WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping", await ReadAsync(open.GetStream(), 4));

        proxy.RefuseNewConnections = true;
        Assert.Equal(1, proxy.DropAll());
        Assert.True(await IsClosedAsync(open), "the open connection survived DropAll");

        Assert.True(await IsRefusedAsync(proxy), "a new connection was accepted while refusing");

        proxy.Heal();
        using var healed = await ConnectAsync(proxy);
        await healed.GetStream().WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong", await ReadAsync(healed.GetStream(), 4));
    }

    [Fact]
    public async Task Closes_the_client_when_the_upstream_is_down()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var proxy = TcpProxy.Start(closedPort);
        Assert.True(await IsRefusedAsync(proxy), "the proxy kept a connection to nothing open");
    }

    private int EchoPort => ((IPEndPoint)_echo.LocalEndpoint).Port;

    private static async Task<TcpClient> ConnectAsync(TcpProxy proxy)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        return client;
    }

    private static async Task<string> ReadAsync(NetworkStream stream, int length)
    {
        var buffer = new byte[length];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Whether a new connection is reset (while connecting or at once after).</summary>
    private static async Task<bool> IsRefusedAsync(TcpProxy proxy)
    {
        TcpClient client;
        try
        {
            client = await ConnectAsync(proxy);
        }
        catch (SocketException)
        {
            return true;
        }

        using (client)
        {
            return await IsClosedAsync(client);
        }
    }

    /// <summary>Whether the peer closed or reset the connection (a read ends with 0 bytes or an error).</summary>
    private static async Task<bool> IsClosedAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await client.GetStream().ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient peer;
            try
            {
                peer = await _echo.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = EchoAsync(peer);
        }
    }

    private static async Task EchoAsync(TcpClient peer)
    {
        using (peer)
        {
            var buffer = new byte[4096];
            var stream = peer.GetStream();
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
