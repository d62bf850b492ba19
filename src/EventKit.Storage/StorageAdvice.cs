namespace EventKit.Storage;

/// <summary>One thing to change in the database, with the evidence for it and the exact statement to run.</summary>
/// <param name="Id">Stable while the problem lasts (<c>missing_index:participants_active_token_idx</c>), so repeated reviews can be told apart from new findings.</param>
/// <param name="Title">One line for people.</param>
/// <param name="Evidence">What was measured: the plan that shows it, row counts, sizes, dates.</param>
/// <param name="Action">What to run: SQL, or an option with its value.</param>
/// <param name="EstimatedEffect">What it should change, with the numbers it is based on.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="QueryName">The EventKit query (<c>db.query.name</c>) it concerns, when it concerns one, so runtime figures can be added.</param>
public sealed record StorageAdvice(string Id, string Title, string Evidence, string Action, string EstimatedEffect, StorageAdviceSeverity Severity, string? QueryName = null);
