using System.Diagnostics;

namespace EventKit.Internal;

/// <summary>
/// The check-in pipeline's <see cref="ActivitySource"/> (<see cref="EventKitDiagnostics.CheckIn"/>): a root span per
/// check-in and child spans for resolving gate and participant, claiming the passage and the durable write. Free when
/// nobody listens (<c>StartActivity</c> returns <see langword="null"/>).
/// </summary>
internal static class CheckInTracing
{
    public const string CheckIn = "eventkit.checkin";
    public const string Resolve = "eventkit.checkin.resolve";
    public const string Claim = "eventkit.checkin.claim";
    public const string Write = "eventkit.checkin.write";

    public static readonly ActivitySource Source = new(EventKitDiagnostics.CheckIn);
}
