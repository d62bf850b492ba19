namespace EventKit;

/// <summary>Admits participants at gates: the whole check-in pipeline.</summary>
public interface ICheckInService
{
    /// <summary>Runs a check-in and returns its outcome. Only <see cref="CheckInStatus.Admitted"/> writes a record, and only after it is committed.</summary>
    ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default);
}
