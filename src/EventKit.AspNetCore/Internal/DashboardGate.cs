namespace EventKit.AspNetCore.Internal;

/// <summary>One gate's tile: its admissions in the live window (this node's meter), when it last admitted, whether it is open, and the alerts labelled with it.</summary>
/// <param name="Id">The gate's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kind">Entrance or exit.</param>
/// <param name="Open">Whether it admits.</param>
/// <param name="Admitted">Admissions in the window.</param>
/// <param name="RatePerSecond">Admissions per second over the window.</param>
/// <param name="LastAdmissionAt">The second of its last admission in the last 15 minutes, or <see langword="null"/>.</param>
/// <param name="Alerts">Alerts not inactive whose <c>gate</c> (or <c>eventkit.gate.id</c>) label is this gate: <c>name</c> and state.</param>
internal sealed record DashboardGate(
    long Id,
    string Name,
    GateKind Kind,
    bool Open,
    double Admitted,
    double RatePerSecond,
    DateTimeOffset? LastAdmissionAt,
    IReadOnlyList<DashboardGateAlert> Alerts);
