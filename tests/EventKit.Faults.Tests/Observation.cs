namespace EventKit.Faults.Tests;

/// <summary>One HTTP attempt of a check-in, as the client saw it.</summary>
/// <param name="Started">Seconds since the scenario's clock started.</param>
/// <param name="Ended">Seconds since the scenario's clock started.</param>
/// <param name="Status">The HTTP status; <see cref="Unreachable"/> for a refused or reset connection, <see cref="Hung"/> for no answer within the client's timeout.</param>
/// <param name="RetryAfter">Whether the answer carried <c>Retry-After</c>.</param>
/// <param name="RecordId">The record the answer names (201 and 200).</param>
/// <param name="RequestId">The request id sent (kept across retries of one check-in).</param>
/// <param name="Host">Which host answered (index).</param>
internal sealed record Observation(double Started, double Ended, int Status, bool RetryAfter, Guid? RecordId, Guid RequestId, int Host)
{
    public const int Unreachable = 0;

    public const int Hung = -1;

    public bool IsSuccess => Status is 200 or 201;

    /// <summary>An answer the API promises during a fault: a decision, or 429/503 with Retry-After.</summary>
    public bool IsAllowedAnswer => IsSuccess || (Status is 429 or 503 && RetryAfter);
}
