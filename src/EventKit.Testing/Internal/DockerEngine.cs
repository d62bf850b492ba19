using System.Net.Sockets;
using System.Text.Json;

namespace EventKit.Testing.Internal;

/// <summary>
/// Finds out whether a Docker engine answers before any Testcontainers type is touched: Testcontainers reads
/// <c>DOCKER_API_VERSION</c> once, in static initialisers, and otherwise speaks API 1.44, which older engines (Debian
/// bookworm's docker.io 20.10 speaks 1.41) refuse.
/// </summary>
internal static class DockerEngine
{
    internal const string ApiVersionVariable = "DOCKER_API_VERSION";
    private const string DefaultSocket = "/var/run/docker.sock";
    private static readonly Version TestcontainersApi = new(1, 44);

    /// <summary>Asks the engine named by <c>DOCKER_HOST</c> (default: the local socket) for its version.</summary>
    public static async Task<DockerProbe> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Uri endpoint;
        try
        {
            endpoint = new Uri(string.IsNullOrWhiteSpace(host) ? "unix://" + DefaultSocket : host);
        }
        catch (UriFormatException e)
        {
            return DockerProbe.Unreachable($"DOCKER_HOST '{host}' is not a URI ({e.Message})");
        }

        SocketsHttpHandler handler;
        Uri baseAddress;
        switch (endpoint.Scheme)
        {
            case "unix":
                var path = endpoint.AbsolutePath;
                if (!File.Exists(path))
                {
                    return DockerProbe.Unreachable($"no Docker socket at {path}");
                }

                handler = new SocketsHttpHandler
                {
                    ConnectCallback = async (_, token) =>
                    {
                        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        try
                        {
                            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token).ConfigureAwait(false);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
                baseAddress = new Uri("http://docker/");
                break;
            case "tcp" when !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY")):
                // TLS with client certificates: Testcontainers knows how to reach it; leave the API version to it.
                return DockerProbe.Reachable(endpoint.ToString(), apiVersion: null);
            case "tcp":
            case "http":
                handler = new SocketsHttpHandler();
                baseAddress = new Uri($"http://{endpoint.Authority}/");
                break;
            default:
                // npipe, ssh, TLS: Testcontainers knows how to reach them; leave the API version to it.
                return DockerProbe.Reachable(endpoint.ToString(), apiVersion: null);
        }

        using var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = timeout };
        try
        {
            // Unversioned path: every engine answers it, whatever API version it speaks.
            using var response = await client.GetAsync(new Uri("version", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return DockerProbe.Unreachable($"the Docker engine at {endpoint} answered GET /version with {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var bodyScope = body.ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var api = json.RootElement.TryGetProperty("ApiVersion", out var value) ? value.GetString() : null;
            return DockerProbe.Reachable(endpoint.ToString(), api);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or JsonException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DockerProbe.Unreachable($"the Docker engine at {endpoint} did not answer ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// Sets <c>DOCKER_API_VERSION</c> for this process to the engine's version when the engine is older than the API
    /// Testcontainers speaks by default and the variable is unset. Must run before any Testcontainers type is used.
    /// </summary>
    public static void PinApiVersion(DockerProbe probe)
    {
        if (probe.ApiVersion is null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ApiVersionVariable)))
        {
            return;
        }

        if (Version.TryParse(probe.ApiVersion, out var engine) && engine < TestcontainersApi)
        {
            Environment.SetEnvironmentVariable(ApiVersionVariable, engine.ToString(2));
        }
    }
}
