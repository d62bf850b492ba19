using System.Text.Json;
using EventKit.Internal;
using Npgsql;
using NpgsqlTypes;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>
/// The <c>events</c> row of an event (0001 + 0005): read, created on first read (an event nobody configured yet is
/// <see cref="EventSettings.Default"/>, always open), replaced by a save.
/// </summary>
internal sealed class PostgresEventStore(StorageDataSources sources, StorageTelemetry telemetry) : IEventDirectory, IEventRegistry
{
    private const string Columns = "id, name, time_zone, starts_at, ends_at, re_entry_window, opening_hours::text, updated_at";

    public async ValueTask<EventSettings> GetAsync(long eventId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventId);
        return await telemetry.TimeAsync(QueryNames.EventById, async ct =>
        {
            using (var select = sources.Write.CreateCommand($"SELECT {Columns} FROM events WHERE id = $1"))
            {
                select.Parameters.Add(Param(eventId));
                if (await ReadFirstAsync(select, ReadEvent, ct).ConfigureAwait(false) is { } found)
                {
                    return found;
                }
            }

            // The node's event gets its row the first time anyone asks; a racing node's insert wins and is read back.
            var created = EventSettings.Default(eventId);
            using var insert = sources.Write.CreateCommand(
                $"WITH ins AS (INSERT INTO events (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING {Columns}) " +
                $"SELECT * FROM ins UNION ALL SELECT {Columns} FROM events WHERE id = $1 LIMIT 1");
            insert.Parameters.Add(Param(eventId));
            insert.Parameters.Add(Param(created.Name));
            return await ReadFirstAsync(insert, ReadEvent, ct).ConfigureAwait(false) ?? created;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EventSettings> SaveAsync(EventSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
        {
            throw new ArgumentException(problem.Message, nameof(settings));
        }

        return (await telemetry.TimeAsync(QueryNames.EventSave, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                "INSERT INTO events (id, name, time_zone, starts_at, ends_at, re_entry_window, opening_hours, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) " +
                "ON CONFLICT (id) DO UPDATE SET name = $2, time_zone = $3, starts_at = $4, ends_at = $5, re_entry_window = $6, opening_hours = $7, updated_at = now() " +
                $"RETURNING {Columns}");
            command.Parameters.Add(Param(settings.Id));
            command.Parameters.Add(Param(settings.Name));
            command.Parameters.Add(Param(settings.TimeZone));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = settings.StartsAt?.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = settings.EndsAt?.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan?> { TypedValue = settings.ReEntryWindow, NpgsqlDbType = NpgsqlDbType.Interval });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = EventSettingsJson.OpeningHoursToJson(settings.OpeningHours), NpgsqlDbType = NpgsqlDbType.Jsonb });
            return await ReadFirstAsync(command, ReadEvent, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false))!;
    }

    private static EventSettings ReadEvent(NpgsqlDataReader r)
    {
        IReadOnlyDictionary<GateKind, IReadOnlyList<OpeningHours>>? hours = null;
        if (!r.IsDBNull(6))
        {
            using var document = JsonDocument.Parse(r.GetString(6));
            if (!EventSettingsJson.TryReadOpeningHours(document.RootElement, out hours, out var problem))
            {
                throw new InvalidOperationException($"events.opening_hours of event {r.GetInt64(0)} is not in EventKit's form: {problem}");
            }
        }

        return new EventSettings
        {
            Id = r.GetInt64(0),
            Name = r.GetString(1),
            TimeZone = r.GetString(2),
            StartsAt = r.IsDBNull(3) ? null : new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero),
            EndsAt = r.IsDBNull(4) ? null : new DateTimeOffset(r.GetDateTime(4), TimeSpan.Zero),
            ReEntryWindow = r.IsDBNull(5) ? null : r.GetTimeSpan(5),
            OpeningHours = hours,
            UpdatedAt = new DateTimeOffset(r.GetDateTime(7), TimeSpan.Zero),
        };
    }
}
