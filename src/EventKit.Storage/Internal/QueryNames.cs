namespace EventKit.Storage.Internal;

/// <summary>The name every query is timed and logged under (the <c>db.query.name</c> tag).</summary>
internal static class QueryNames
{
    public const string ParticipantByCredential = "participant.by_credential";
    public const string ParticipantById = "participant.by_id";
    public const string ParticipantsByIds = "participant.by_ids";
    public const string ParticipantsRegister = "participant.register";
    public const string ParticipantsRegisterConflict = "participant.register_conflict";
    public const string ParticipantSetStatus = "participant.set_status";
    public const string ParticipantReplaceCredential = "participant.replace_credential";
    public const string ParticipantUpdate = "participant.update";
    public const string ParticipantSearch = "participant.search";
    public const string ParticipantExport = "participant.export_active";
    public const string BleIdentitySet = "ble_identity.set";
    public const string BleIdentitiesActive = "ble_identity.active";
    public const string GateById = "gate.by_id";
    public const string GatesByEvent = "gate.by_event";
    public const string GateCreate = "gate.create";
    public const string GateSetOpen = "gate.set_open";
    public const string GatePage = "gate.page";
    public const string GatewayPage = "gateway.page";
    public const string EventById = "event.by_id";
    public const string EventSave = "event.save";
    public const string AttendancePage = "attendance.page";
    public const string AttendanceCountAtGate = "attendance.count_at_gate";
    public const string AttendanceCountPerGate = "attendance.count_per_gate";
    public const string AttendanceAnySince = "attendance.any_since";
    public const string AttendanceSummaries = "attendance.summaries";
    public const string AttendanceLatest = "attendance.latest";
    public const string AttendanceByRequest = "attendance.by_request";
    public const string AttendanceBatch = "attendance.write_batch";
    public const string AttendanceExclusive = "attendance.write_exclusive";
    public const string HealthProbe = "health.probe";
}
