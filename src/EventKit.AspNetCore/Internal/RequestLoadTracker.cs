using System.Diagnostics;
using EventKit.Scaling;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// In-flight requests and the p95 of the last 1,024 per request type, measured around EventKit's endpoints and
/// heartbeated by EventKit.Scaling (mapped only when <c>.AddScaling()</c> is present). Lock-free: an increment, a
/// decrement and one slot write per request.
/// </summary>
internal sealed class RequestLoadTracker : IEndpointFilter, IRequestLoadProvider
{
    private readonly TypeWindow _checkIn = new();
    private readonly TypeWindow _read = new();
    private readonly TypeWindow _management = new();
    private readonly TypeWindow _gatewayReport = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var window = For(RequestTypes.Classify(request.Method, request.Path.Value ?? string.Empty));
        Interlocked.Increment(ref window.InFlight);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref window.InFlight);
            window.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public IReadOnlyDictionary<string, RequestTypeLoad> Sample() => new Dictionary<string, RequestTypeLoad>(4, StringComparer.Ordinal)
    {
        [RequestTypes.CheckIn] = _checkIn.Sample(),
        [RequestTypes.Read] = _read.Sample(),
        [RequestTypes.Management] = _management.Sample(),
        [RequestTypes.GatewayReport] = _gatewayReport.Sample(),
    };

    private TypeWindow For(string type) => type switch
    {
        RequestTypes.CheckIn => _checkIn,
        RequestTypes.GatewayReport => _gatewayReport,
        RequestTypes.Read => _read,
        _ => _management,
    };

    private sealed class TypeWindow
    {
        private const int Size = 1024;
        private readonly double[] _durations = new double[Size];
        private long _count;
        public int InFlight;

        public void Record(double milliseconds)
        {
            var slot = Interlocked.Increment(ref _count) - 1;
            Volatile.Write(ref _durations[slot & (Size - 1)], milliseconds);
        }

        public RequestTypeLoad Sample()
        {
            var filled = (int)Math.Min(Volatile.Read(ref _count), Size);
            if (filled == 0)
            {
                return new RequestTypeLoad(Volatile.Read(ref InFlight), 0);
            }

            var copy = new double[filled];
            Array.Copy(_durations, copy, filled);
            Array.Sort(copy);
            var p95 = copy[Math.Min(filled - 1, (int)Math.Ceiling(filled * 0.95) - 1)];
            return new RequestTypeLoad(Math.Max(0, Volatile.Read(ref InFlight)), p95);
        }
    }
}
