namespace EventKit.AspNetCore.Internal;

/// <summary>
/// A read-only view of a request body that gives the report's processing slot back whenever a read has to wait for the
/// client, and takes a slot again before returning the bytes: a slow (or stalled) uploader never holds a processing slot
/// while it trickles, only while its bytes are being processed.
/// </summary>
internal sealed class SlotReleasingStream(Stream inner, ReportAdmission.Slot slot) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompleted)
        {
            return await read.ConfigureAwait(false);
        }

        // If the read fails (the client went away) no slot is taken again; disposing the slot then releases nothing.
        slot.Pause();
        var count = await read.ConfigureAwait(false);
        await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the body asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
