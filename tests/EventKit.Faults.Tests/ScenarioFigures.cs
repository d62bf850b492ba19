using System.Globalization;

namespace EventKit.Faults.Tests;

/// <summary>What one scenario measured; a row of <c>artifacts/faults/results.md</c>.</summary>
internal sealed record ScenarioFigures(
    string Scenario,
    int Hosts,
    bool Fsync,
    int Requests,
    int Acknowledged,
    int Lost,
    long DuplicateAdmissions,
    long RequestIdConflicts,
    int Unavailable,
    int BadAnswers,
    int Hung,
    int Unreachable,
    int PhantomDuplicates,
    double? SecondsToRecover)
{
    public const string Header =
        "| scenario | hosts | fsync | requests | acknowledged (201) | lost | duplicate admissions | request-id conflicts | 503/429 + Retry-After | bad answers (5xx, no Retry-After, other) | hung (> 15 s) | unreachable | duplicates of unwritten records | seconds to recover |\n" +
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public string ToRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Scenario} | {Hosts} | {(Fsync ? "on" : "off")} | {Requests:N0} | {Acknowledged:N0} | {Lost} | {DuplicateAdmissions} | {RequestIdConflicts} | {Unavailable:N0} | {BadAnswers} | {Hung} | {Unreachable:N0} | {PhantomDuplicates} | {(SecondsToRecover is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "never")} |");
}
