using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// The bounded queue between HTTP and the presence engine: a few reports are processed at once,
/// a bounded number wait, and beyond that callers get 429 instead of the host growing without limit.
/// </summary>
internal sealed class ReportAdmission(IOptions<EventKitApiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _processing = new(options.Value.MaxConcurrentReports, options.Value.MaxConcurrentReports);
    private readonly int _capacity = options.Value.MaxConcurrentReports + options.Value.MaxQueuedReports;
    private int _admitted;

    /// <summary>Reports admitted (processing or waiting).</summary>
    internal int Admitted => Volatile.Read(ref _admitted);

    /// <summary>A slot in the queue, or <see langword="null"/> when the queue is full.</summary>
    public Slot? TryEnter()
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }

        return new Slot(this);
    }

    public void Dispose() => _processing.Dispose();

    internal sealed class Slot(ReportAdmission owner) : IDisposable
    {
        private bool _processing;
        private int _disposed;

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            await owner._processing.WaitAsync(cancellationToken).ConfigureAwait(false);
            _processing = true;
        }

        /// <summary>Gives the processing slot back while this report waits (for the network); <see cref="WaitAsync"/> takes one again.</summary>
        public void Pause()
        {
            if (_processing)
            {
                _processing = false;
                owner._processing.Release();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            if (_processing)
            {
                owner._processing.Release();
            }

            Interlocked.Decrement(ref owner._admitted);
        }
    }
}
