using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>Conversions between rows and Core's model. Column lists here and the readers below must agree.</summary>
internal static class Mapping
{
    public const string ParticipantColumns = "id, event_id, name, email, status, external_ref";
    public const string GateColumns = "id, event_id, name, kind, is_open";
    public const string AttendanceColumns = "id, event_id, participant_id, gate_id, method, direction, occurred_at, request_id, credential_kind";

    public static string StatusText(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Active => "active",
        ParticipantStatus.Suspended => "suspended",
        ParticipantStatus.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown participant status."),
    };

    public static ParticipantStatus ParseStatus(string text) => text switch
    {
        "active" => ParticipantStatus.Active,
        "suspended" => ParticipantStatus.Suspended,
        "revoked" => ParticipantStatus.Revoked,
        _ => throw new InvalidOperationException("participants.status holds a value EventKit does not know."),
    };

    public static Participant ReadParticipant(NpgsqlDataReader r)
        => new(
            r.GetInt64(0),
            r.GetInt64(1),
            r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3),
            ParseStatus(r.GetString(4)),
            r.IsDBNull(5) ? null : r.GetString(5));

    public static Gate ReadGate(NpgsqlDataReader r)
        => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), (GateKind)r.GetInt16(3), r.GetBoolean(4));

    public static AttendanceRecord ReadAttendance(NpgsqlDataReader r)
        => new(
            r.GetGuid(0),
            r.GetInt64(1),
            r.GetInt64(2),
            r.GetInt64(3),
            (CheckInMethod)r.GetInt16(4),
            (AttendanceDirection)r.GetInt16(5),
            new DateTimeOffset(r.GetDateTime(6), TimeSpan.Zero),
            r.IsDBNull(7) ? null : r.GetGuid(7),
            (CredentialKind)r.GetInt16(8));

    public static NpgsqlParameter<T> Param<T>(T value) => new() { TypedValue = value };

    /// <summary>Reads every row of <paramref name="command"/> with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(map(reader));
            }
        }

        return list;
    }

    /// <summary>Reads the first row of <paramref name="command"/> with <paramref name="map"/>, or returns <see langword="null"/>.</summary>
    public static async Task<T?> ReadFirstAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
        }
    }

    public static bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
