namespace EventKit.Gates.Ble;

/// <summary>Walks the <c>[len][type][data…]</c> AD structures of an advert without copying or allocating.</summary>
/// <remarks>Never throws and never reads past the input: a length that runs past the end stops the walk with
/// <see cref="AdvertParseStatus.Truncated"/>; <see cref="Status"/> says why the walk ended once <see cref="MoveNext"/>
/// returns <see langword="false"/>.</remarks>
public ref struct AdStructureReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _clipped;
    private int _offset;
    private bool _terminated;

    /// <summary>Starts a walk over <paramref name="advert"/>, reading at most <paramref name="maxLength"/> bytes.</summary>
    /// <param name="advert">The advertising data (and scan response, if the gateway appends it).</param>
    /// <param name="maxLength">The most bytes to read; longer input ends with <see cref="AdvertParseStatus.TooLong"/>.</param>
    public AdStructureReader(ReadOnlySpan<byte> advert, int maxLength = BleAdvertParser.DefaultMaxLength)
    {
        if (maxLength < 0)
        {
            maxLength = 0;
        }

        _clipped = advert.Length > maxLength;
        _data = _clipped ? advert[..maxLength] : advert;
        _offset = 0;
        Current = default;
        Status = advert.IsEmpty ? AdvertParseStatus.Empty : AdvertParseStatus.Complete;
    }

    /// <summary>The structure <see cref="MoveNext"/> stopped on.</summary>
    public AdStructure Current { get; private set; }

    /// <summary>How the walk ended (meaningful once <see cref="MoveNext"/> has returned <see langword="false"/>).</summary>
    public AdvertParseStatus Status { get; private set; }

    /// <summary>How many bytes were consumed as whole structures.</summary>
    public readonly int BytesRead => _offset;

    /// <summary>Moves to the next structure.</summary>
    /// <returns><see langword="false"/> at the end of the payload or on malformed input (see <see cref="Status"/>).</returns>
    public bool MoveNext()
    {
        while (!_terminated && _offset < _data.Length)
        {
            int length = _data[_offset];
            if (length == 0)
            {
                // The rest (usually zero padding of a legacy advert) is not read and not counted.
                Status = AdvertParseStatus.Terminated;
                _terminated = true;
                return false;
            }

            // length counts the type byte and the data; both must lie inside the input.
            if (length > _data.Length - _offset - 1)
            {
                // A structure cut by the configured maximum is the maximum's fault, not the sender's.
                Status = _clipped ? AdvertParseStatus.TooLong : AdvertParseStatus.Truncated;
                return false;
            }

            Current = new AdStructure(_data[_offset + 1], _data.Slice(_offset + 2, length - 1));
            _offset += 1 + length;
            return true;
        }

        if (_clipped && !_terminated)
        {
            Status = AdvertParseStatus.TooLong;
        }

        return false;
    }

    /// <summary>Lets <c>foreach</c> walk the structures.</summary>
    public readonly AdStructureReader GetEnumerator() => this;
}
