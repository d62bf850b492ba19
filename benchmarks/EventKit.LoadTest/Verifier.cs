using Npgsql;

namespace EventKit.LoadTest;

/// <summary>Checks, in PostgreSQL itself, that every 201 has its row and that nothing else was written.</summary>
internal static class Verifier
{
    public static async Task<Verification> VerifyAsync(string connectionString, IReadOnlyCollection<Guid> admitted, long bleAdmitted, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var total = dataSource.CreateCommand("SELECT count(*) FILTER (WHERE method <> 2), count(*) FILTER (WHERE method = 2) FROM attendance_records");
        long rows, bleRows;
        await using (var reader = await total.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            rows = reader.GetInt64(0);
            bleRows = reader.GetInt64(1);
        }

        var ids = admitted.ToArray();
        long found = 0;
        for (var start = 0; start < ids.Length; start += 50_000)
        {
            var chunk = ids.AsSpan(start, Math.Min(50_000, ids.Length - start)).ToArray();
            await using var present = dataSource.CreateCommand("SELECT count(*) FROM attendance_records WHERE id = ANY($1)");
            present.Parameters.Add(new NpgsqlParameter { Value = chunk });
            found += (long)(await present.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return new Verification(rows, ids.Length, found, bleRows, bleAdmitted);
    }

    public static async Task RecreateDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The name is a validated identifier (LoadOptions: lower-case letters, digits, _); quote it anyway.
        var quoted = "\"" + target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <param name="Rows">Rows in attendance_records written by check-ins over HTTP (QR).</param>
/// <param name="Admitted">Distinct record ids answered 201.</param>
/// <param name="Found">How many of those ids have a row.</param>
/// <param name="BleRows">Rows with method ble.</param>
/// <param name="BleAdmitted">Admissions the gateway reports' 202 answers counted.</param>
internal sealed record Verification(long Rows, long Admitted, long Found, long BleRows, long BleAdmitted)
{
    public bool Holds => Rows == Admitted && Found == Admitted && BleRows == BleAdmitted;
}
