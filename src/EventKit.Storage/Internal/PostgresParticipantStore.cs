using EventKit.Internal;
using Npgsql;
using NpgsqlTypes;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Participants on PostgreSQL: credential lookups, batch reads, registration by binary COPY, search and BLE identities.</summary>
internal sealed class PostgresParticipantStore(StorageDataSources sources, StorageTelemetry telemetry, CredentialHasher hasher, BleKeySealer bleKeys)
    : IParticipantDirectory, IParticipantRegistry, IParticipantSearch, IBleIdentityStore
{
    // The first branch is the critical query "active participant by token" on the unique partial
    // index; Limit over Append stops there when it finds a row, so the second branch (the
    // "inactive" fallback on its own partial index) only runs for unknown or inactive tokens.
    internal const string FindByCredentialSql =
        $"(SELECT {ParticipantColumns} FROM participants WHERE token_hash = $1 AND status = 'active') " +
        $"UNION ALL (SELECT {ParticipantColumns} FROM participants WHERE token_hash = $1 AND status <> 'active' ORDER BY updated_at DESC LIMIT 1) LIMIT 1";

    // The expression of participants_fulltext_idx (0005): e-mail addresses are split at '@', '.', '_', '+', '-', so
    // "example" and "ada@example.org" (ada & example & org) find ada@example.org.
    internal const string SearchSql =
        $"SELECT {ParticipantColumns} FROM participants " +
        "WHERE event_id = $1 AND to_tsvector('simple', name || ' ' || translate(coalesce(email, ''), '@._+-', '     ')) @@ to_tsquery('simple', $2) AND id > $3 ORDER BY id LIMIT $4";

    private const int MaxSearchWords = 8;

    // One query per credential at a time: a burst of scans of one token (an unknown one above all, which no cache may hold
    // yet) waits for one round trip instead of taking a pooled connection each. The cache in front coalesces too; this
    // also covers hosts without it.
    private readonly SingleFlight<CredentialHash, Participant?> _credentialLookups = new();

    public ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default)
        => new(_credentialLookups.RunAsync(credential, this, static (hash, store) => store.QueryByCredentialAsync(hash), cancellationToken));

    /// <summary>The query itself, under the command and pool timeouts (no caller's token: callers share it).</summary>
    private Task<Participant?> QueryByCredentialAsync(CredentialHash credential)
        => telemetry.TimeAsync(QueryNames.ParticipantByCredential, async ct =>
        {
            using var command = sources.Write.CreateCommand(FindByCredentialSql);
            command.Parameters.Add(Param(credential.ToArray()));
            return await ReadFirstAsync(command, ReadParticipant, ct).ConfigureAwait(false);
        }, CancellationToken.None);

    public ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default)
        => new(telemetry.TimeAsync(QueryNames.ParticipantById, async ct =>
        {
            using var command = sources.Write.CreateCommand($"SELECT {ParticipantColumns} FROM participants WHERE id = $1");
            command.Parameters.Add(Param(participantId));
            return await ReadFirstAsync(command, ReadParticipant, ct).ConfigureAwait(false);
        }, cancellationToken));

    public async Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participantIds);
        if (participantIds.Count == 0)
        {
            return [];
        }

        var ids = participantIds as long[] ?? [.. participantIds];
        return await telemetry.TimeAsync(QueryNames.ParticipantsByIds, async ct =>
        {
            using var command = sources.Read.CreateCommand($"SELECT {ParticipantColumns} FROM participants WHERE id = ANY($1)");
            command.Parameters.Add(Param(ids));
            return await ReadAllAsync(command, ReadParticipant, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> RegisterAsync(long eventId, IReadOnlyList<NewParticipant> participants, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventId);
        ArgumentNullException.ThrowIfNull(participants);
        if (participants.Count == 0)
        {
            return [];
        }

        var hashes = Validate(participants, hasher);
        try
        {
            return await telemetry.TimeAsync(QueryNames.ParticipantsRegister, ct => CopyInAsync(eventId, participants, hashes, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw await DescribeConflictAsync(participants, hashes, e, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> SetStatusAsync(long participantId, ParticipantStatus status, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown participant status.");
        }

        return UpdateAsync(
            QueryNames.ParticipantSetStatus,
            "UPDATE participants SET status = $2, updated_at = now() WHERE id = $1",
            participantId,
            Param(StatusText(status)),
            "Another active participant holds this participant's credential; reactivating would make it ambiguous.",
            cancellationToken);
    }

    public Task<bool> ReplaceCredentialAsync(long participantId, string newCredential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newCredential);
        var problem = CredentialHash.Validate(newCredential);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(newCredential));
        }

        return UpdateAsync(
            QueryNames.ParticipantReplaceCredential,
            $"UPDATE participants SET token_hash = $2, hash_version = {hasher.Version}, updated_at = now() WHERE id = $1",
            participantId,
            Param(hasher.Compute(newCredential).ToArray()),
            "The new credential is already held by another active participant.",
            cancellationToken);
    }

    public async Task<bool> UpdateAsync(long participantId, ParticipantStatus? status, string? newCredential, CancellationToken cancellationToken = default)
    {
        if (status is { } s && !Enum.IsDefined(s))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown participant status.");
        }

        if (newCredential is not null && CredentialHash.Validate(newCredential) is { } problem)
        {
            throw new ArgumentException(problem, nameof(newCredential));
        }

        return await UpdateAsync(
            QueryNames.ParticipantUpdate,
            "UPDATE participants SET status = coalesce($2, status), token_hash = coalesce($3, token_hash), " +
            $"hash_version = CASE WHEN $3 IS NULL THEN hash_version ELSE {hasher.Version} END, updated_at = now() WHERE id = $1",
            participantId,
            [
                new NpgsqlParameter<string?> { TypedValue = status is { } st ? StatusText(st) : null, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<byte[]?> { TypedValue = newCredential is null ? null : hasher.Compute(newCredential).ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea },
            ],
            "After this change another active participant would hold the same credential; nothing was changed.",
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<Participant>> SearchAsync(long eventId, string query, int limit = 20, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        var tsQuery = ToPrefixQuery(query);
        var fingerprint = KeysetCursor.Fingerprint(eventId, 0, 0, tsQuery);
        var afterId = after is null ? 0 : KeysetCursor.Decode(after, KeysetCursor.SearchKind, fingerprint).Key;
        if (tsQuery.Length == 0)
        {
            return new Page<Participant>([], null);
        }

        var rows = await telemetry.TimeAsync(QueryNames.ParticipantSearch, async ct =>
        {
            using var command = sources.Read.CreateCommand(SearchSql);
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(tsQuery));
            command.Parameters.Add(Param(afterId));
            command.Parameters.Add(Param(limit + 1));
            return await ReadAllAsync(command, ReadParticipant, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (rows.Count <= limit)
        {
            return new Page<Participant>(rows, null);
        }

        rows.RemoveAt(limit);
        return new Page<Participant>(rows, KeysetCursor.Encode(KeysetCursor.SearchKind, fingerprint, rows[^1].Id, Guid.Empty));
    }

    public async Task<bool> SetAsync(BleIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // Sealed under the configured key (BleKeySealer); plaintext only in Development without one.
        bleKeys.EnsureUsable();
        var sealedKey = bleKeys.HasKey ? bleKeys.Seal(identity.ParticipantId, identity.IdentityKey.Span) : null;
        var updated = await telemetry.TimeAsync(QueryNames.BleIdentitySet, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                "UPDATE participants SET ble_identity_key = $2, ble_identity_key_sealed = $5, ble_rotation_exponent = $3, ble_clock_offset = $4, updated_at = now() WHERE id = $1");
            command.Parameters.Add(Param(identity.ParticipantId));
            command.Parameters.Add(new NpgsqlParameter { Value = sealedKey is null ? identity.IdentityKey.ToArray() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(Param((short)identity.RotationExponent));
            command.Parameters.Add(Param((long)identity.ClockOffset));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)sealedKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    public async Task<IReadOnlyList<BleIdentity>> GetActiveAsync(long eventId, CancellationToken cancellationToken = default)
    {
        bleKeys.EnsureUsable();
        return await telemetry.TimeAsync(QueryNames.BleIdentitiesActive, async ct =>
        {
            // A row holds the sealed key, or (written before 0007, or in Development without a key) the plaintext one.
            using var command = sources.Read.CreateCommand(
                "SELECT id, ble_identity_key, ble_rotation_exponent, ble_clock_offset, ble_identity_key_sealed FROM participants " +
                "WHERE event_id = $1 AND status = 'active' AND (ble_identity_key IS NOT NULL OR ble_identity_key_sealed IS NOT NULL)");
            command.Parameters.Add(Param(eventId));
            return await ReadAllAsync(
                command,
                r => new BleIdentity(r.GetInt64(0), r.IsDBNull(4) ? r.GetFieldValue<byte[]>(1) : bleKeys.Open(r.GetInt64(0), r.GetFieldValue<byte[]>(4)), (byte)r.GetInt16(2), (uint)r.GetInt64(3)),
                ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns free text into a prefix tsquery (<c>word:* &amp; word:*</c>). Only letters and digits survive, so no tsquery syntax can be injected.</summary>
    internal static string ToPrefixQuery(string query)
    {
        var builder = new System.Text.StringBuilder();
        var words = 0;
        var inWord = false;
        foreach (var c in query)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    if (words == MaxSearchWords)
                    {
                        break;
                    }

                    if (words > 0)
                    {
                        builder.Append(" & ");
                    }

                    words++;
                    inWord = true;
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (inWord)
            {
                builder.Append(":*");
                inWord = false;
            }
        }

        if (inWord)
        {
            builder.Append(":*");
        }

        return builder.ToString();
    }

    private static CredentialHash[] Validate(IReadOnlyList<NewParticipant> participants, CredentialHasher hasher)
    {
        var hashes = new CredentialHash[participants.Count];
        var active = new Dictionary<CredentialHash, int>(participants.Count);
        for (var i = 0; i < participants.Count; i++)
        {
            var p = participants[i] ?? throw new ParticipantImportException(i, "participant", "The item is null.");
            Check(i, "name", p.Name is null || string.IsNullOrWhiteSpace(p.Name) ? "The name is empty." : p.Name.Length > Participant.MaxNameLength ? $"The name is longer than {Participant.MaxNameLength} characters." : null);
            Check(i, "email", p.Email?.Length > Participant.MaxEmailLength ? $"The e-mail address is longer than {Participant.MaxEmailLength} characters." : null);
            Check(i, "externalRef", p.ExternalRef?.Length > Participant.MaxExternalRefLength ? $"The external reference is longer than {Participant.MaxExternalRefLength} characters." : null);
            Check(i, "status", Enum.IsDefined(p.Status) ? null : "The status is not a defined ParticipantStatus.");
            Check(i, "credential", p.Credential is null ? "The credential is missing." : CredentialHash.Validate(p.Credential));
            hashes[i] = hasher.Compute(p.Credential);
            if (p.Status == ParticipantStatus.Active && !active.TryAdd(hashes[i], i))
            {
                throw new ParticipantImportException(i, "credential", $"The credential is also given to item {active[hashes[i]]}; credentials must be unique among active participants.");
            }
        }

        return hashes;
    }

    private static void Check(int index, string field, string? problem)
    {
        if (problem is not null)
        {
            throw new ParticipantImportException(index, field, problem);
        }
    }

    private async Task<IReadOnlyList<long>> CopyInAsync(long eventId, IReadOnlyList<NewParticipant> participants, CredentialHash[] hashes, CancellationToken cancellationToken)
    {
        var connection = await sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Ids come from the identity sequence first, so they can be returned in input order
                // without relying on the order of RETURNING rows.
                var ids = new long[participants.Count];
                using (var reserve = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('participants', 'id')) FROM generate_series(1, $1)", connection, transaction))
                {
                    reserve.Parameters.Add(Param(participants.Count));
                    var reader = await reserve.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var i = 0;
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ids[i++] = reader.GetInt64(0);
                        }
                    }
                }

                Array.Sort(ids);
                var hash = new byte[CredentialHash.Length];
                var importer = await connection.BeginBinaryImportAsync(
                    "COPY participants (id, event_id, name, email, external_ref, status, token_hash, hash_version) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
                await using (importer.ConfigureAwait(false))
                {
                    for (var i = 0; i < participants.Count; i++)
                    {
                        var p = participants[i];
                        hashes[i].CopyTo(hash);
                        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(eventId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(p.Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await WriteNullableAsync(importer, p.Email, cancellationToken).ConfigureAwait(false);
                        await WriteNullableAsync(importer, p.ExternalRef, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(StatusText(p.Status), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(hasher.Version, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                    }

                    await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return ids;
            }
        }
    }

    private static ValueTask WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
        => value is null ? new ValueTask(importer.WriteNullAsync(cancellationToken)) : new ValueTask(importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken));

    /// <summary>After a unique violation, finds the first item whose credential an active participant already holds.</summary>
    private async Task<ParticipantImportException> DescribeConflictAsync(IReadOnlyList<NewParticipant> participants, CredentialHash[] hashes, PostgresException cause, CancellationToken cancellationToken)
    {
        var candidates = new List<byte[]>();
        for (var i = 0; i < participants.Count; i++)
        {
            if (participants[i].Status == ParticipantStatus.Active)
            {
                candidates.Add(hashes[i].ToArray());
            }
        }

        var taken = await telemetry.TimeAsync(QueryNames.ParticipantsRegisterConflict, async ct =>
        {
            using var command = sources.Write.CreateCommand("SELECT token_hash FROM participants WHERE token_hash = ANY($1) AND status = 'active'");
            command.Parameters.Add(Param(candidates.ToArray()));
            return await ReadAllAsync(command, static r => CredentialHash.FromBytes(r.GetFieldValue<byte[]>(0)), ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var takenSet = new HashSet<CredentialHash>(taken);
        for (var i = 0; i < participants.Count; i++)
        {
            if (participants[i].Status == ParticipantStatus.Active && takenSet.Contains(hashes[i]))
            {
                return new ParticipantImportException(i, "credential", "The credential is already held by an active participant.");
            }
        }

        return new ParticipantImportException("The import conflicts with participants registered at the same time; nothing was stored.", cause);
    }

    private Task<bool> UpdateAsync<T>(string name, string sql, long participantId, NpgsqlParameter<T> value, string conflictMessage, CancellationToken cancellationToken)
        => UpdateAsync(name, sql, participantId, [value], conflictMessage, cancellationToken);

    private async Task<bool> UpdateAsync(string name, string sql, long participantId, NpgsqlParameter[] values, string conflictMessage, CancellationToken cancellationToken)
    {
        try
        {
            var updated = await telemetry.TimeAsync(name, async ct =>
            {
                using var command = sources.Write.CreateCommand(sql);
                command.Parameters.Add(Param(participantId));
                command.Parameters.AddRange(values);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return updated > 0;
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new ParticipantImportException(conflictMessage, e);
        }
    }
}
