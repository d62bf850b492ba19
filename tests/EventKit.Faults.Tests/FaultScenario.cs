using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace EventKit.Faults.Tests;

/// <summary>
/// One scenario: a fresh database and an empty Redis, the sample host(s) started as child processes through the
/// proxies, gates, participants and a scanner seeded through the API, then scanners check in before, during and after
/// the fault. Afterwards PostgreSQL and the recorded answers are checked, the figures written to the results file.
/// </summary>
internal sealed class FaultScenario
{
    /// <summary>The hosts' re-entry window: longer than any scenario, so every repeat of a passage must be a duplicate.</summary>
    public static readonly TimeSpan ReEntryWindow = TimeSpan.FromMinutes(10);

    /// <summary>How long check-ins may take to succeed again after the fault ends before the scenario fails.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private const int Participants = 1_500;
    private const int Gates = 4;
    private const int Clients = 24;

    private readonly FaultRig _rig;
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = new();
    private double? _faultStarted;
    private double? _faultEnded;

    public FaultScenario(FaultRig rig, ITestOutputHelper output)
    {
        _rig = rig;
        _output = output;
    }

    /// <summary>Check-ins before the fault, and after recovery before the run ends.</summary>
    public static TimeSpan Phase => TimeSpan.FromSeconds(FaultRig.Long ? 30 : 5);

    public IReadOnlyList<HostProcess> Hosts { get; private set; } = [];

    public FaultRig Rig => _rig;

    /// <summary>Marks the moment the fault is over (the server is back, the network healed, the host restarting).</summary>
    public void FaultEnded() => _faultEnded ??= _clock.Elapsed.TotalSeconds;

    /// <summary>Runs the scenario; the figures are returned once every guarantee has been asserted.</summary>
    /// <param name="name">The scenario's name in the results.</param>
    /// <param name="hosts">How many hosts share PostgreSQL and Redis.</param>
    /// <param name="hostGoesDown">Whether connections to a host may fail (the host itself is killed).</param>
    /// <param name="fault">Injects the fault and calls <see cref="FaultEnded"/> when it is over.</param>
    public async Task<ScenarioFigures> RunAsync(string name, int hosts, bool hostGoesDown, Func<FaultScenario, Task> fault)
    {
        await _rig.ResetAsync();
        var database = await _rig.CreateDatabaseAsync();
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var environment = new Dictionary<string, string>
        {
            ["EVENTKIT_POSTGRES"] = _rig.ProxiedPostgres(database),
            ["EVENTKIT_REDIS"] = _rig.ProxiedRedis,
            ["EVENTKIT_ADMIN_KEY"] = adminKey,
            ["EVENTKIT_CREDENTIAL_PEPPER"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            ["EVENTKIT_BLE_KEY_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["EventKit__ReEntryWindow"] = ReEntryWindow.ToString("c", CultureInfo.InvariantCulture),
            ["EventKit__IdempotencyWindow"] = "00:10:00",
            // The scanners here send far faster than a physical gate: the per-scanner limit would measure itself.
            ["EventKit__Api__GateRateLimitPerSecond"] = "0",
            // Two cores shared with other work: one GC heap per host is enough.
            ["DOTNET_gcServer"] = "0",
        };
        var started = new List<HostProcess>();
        Hosts = started;
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                var host = new HostProcess(FreePort(), environment, Path.Combine(FaultResults.Directory, $"{name}-host{i}.log"));
                started.Add(host);
                await host.StartAsync();
            }

            var (scannerKey, tokens, gates) = await SeedAsync(started[0].BaseAddress, adminKey);
            _clock.Start();
            double? recovered;
            var clients = new CheckInClients(started.Select(h => h.BaseAddress).ToList(), scannerKey, tokens, gates, Clients, _clock);
            try
            {
                await Task.Delay(Phase);
                _faultStarted = _clock.Elapsed.TotalSeconds;
                await fault(this);
                FaultEnded();
                var deadline = _faultEnded!.Value + RecoveryBound.TotalSeconds;
                while (clients.FirstSuccessAfter(_faultEnded.Value) is null && _clock.Elapsed.TotalSeconds < deadline)
                {
                    await Task.Delay(100);
                }

                recovered = clients.FirstSuccessAfter(_faultEnded.Value);
                await Task.Delay(Phase);
            }
            finally
            {
                await clients.DisposeAsync();
            }

            Observation[] observations = [.. clients.Observations];

            foreach (var host in started)
            {
                await host.DisposeAsync();
            }

            var figures = await MeasureAsync(name, hosts, database, observations, recovered);
            Report(figures, observations);
            Assert(figures, observations, hostGoesDown, recovered);
            return figures;
        }
        finally
        {
            foreach (var host in started)
            {
                await host.DisposeAsync();
            }
        }
    }

    private async Task<ScenarioFigures> MeasureAsync(string name, int hosts, string database, IReadOnlyList<Observation> observations, double? recovered)
    {
        var acknowledged = observations.Where(o => o.Status == 201 && o.RecordId is not null).Select(o => o.RecordId!.Value).Distinct().ToArray();
        var named = observations.Where(o => o.IsSuccess && o.RecordId is not null).Select(o => o.RecordId!.Value).Distinct().ToArray();
        await using var data = NpgsqlDataSource.Create(database + ";Pooling=false");

        // (a) Every 201 names a committed record.
        var found = new HashSet<Guid>();
        var requestOf = new Dictionary<Guid, Guid?>();
        await using (var command = data.CreateCommand("SELECT id, request_id FROM attendance_records WHERE id = ANY($1)"))
        {
            command.Parameters.AddWithValue(named);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add(reader.GetGuid(0));
                requestOf[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetGuid(1);
            }
        }

        var lost = acknowledged.Count(id => !found.Contains(id));

        // Duplicates (200) that name a record PostgreSQL does not have: the participant was refused for nothing.
        var phantoms = observations.Where(o => o.Status == 200 && o.RecordId is { } id && !found.Contains(id)).Select(o => o.RecordId).Distinct().Count();

        // (b) No participant admitted twice at one gate inside the re-entry window, whichever node admitted.
        long readmissions;
        await using (var command = data.CreateCommand(
            """
            SELECT count(*) FROM attendance_records b
            WHERE EXISTS (
                SELECT 1 FROM attendance_records a
                WHERE a.participant_id = b.participant_id AND a.gate_id = b.gate_id
                  AND (a.occurred_at, a.id) < (b.occurred_at, b.id) AND b.occurred_at < a.occurred_at + $1)
            """))
        {
            command.Parameters.AddWithValue(ReEntryWindow);
            readmissions = (long)(await command.ExecuteScalarAsync())!;
        }

        if (readmissions > 0)
        {
            await ReportReadmissionsAsync(data, observations);
        }

        // (c) No request id has two records: in PostgreSQL, and in the answers (201s of one request id name one record,
        // which carries that request id).
        long conflicts;
        await using (var command = data.CreateCommand(
            "SELECT count(*) FROM (SELECT request_id FROM attendance_records WHERE request_id IS NOT NULL GROUP BY request_id HAVING count(DISTINCT id) > 1) x"))
        {
            conflicts = (long)(await command.ExecuteScalarAsync())!;
        }

        conflicts += observations.Where(o => o.Status == 201).GroupBy(o => o.RequestId).Count(g => g.Select(o => o.RecordId).Distinct().Count() > 1);
        conflicts += observations.Count(o => o.Status == 201 && o.RecordId is { } id && requestOf.TryGetValue(id, out var r) && r != o.RequestId);

        return new ScenarioFigures(
            name,
            hosts,
            _rig.Postgres.Fsync,
            observations.Count,
            acknowledged.Length,
            lost,
            readmissions,
            conflicts,
            observations.Count(o => o.Status is 429 or 503 && o.RetryAfter),
            observations.Count(o => o.Status > 0 && !o.IsAllowedAnswer),
            observations.Count(o => o.Status == Observation.Hung),
            observations.Count(o => o.Status == Observation.Unreachable),
            phantoms,
            recovered is { } r2 ? Math.Round(r2 - _faultEnded!.Value, 1) : null);
    }

    /// <summary>Lists the first re-admitted passages with what each record's request was answered, so a failure says where to look.</summary>
    private async Task ReportReadmissionsAsync(NpgsqlDataSource data, IReadOnlyList<Observation> observations)
    {
        var answers = observations.Where(o => o.RecordId is not null).GroupBy(o => o.RecordId!.Value)
            .ToDictionary(g => g.Key, g => string.Join(",", g.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Status}@{o.Started:0.00}s"))));
        await using var command = data.CreateCommand(
            """
            SELECT a.participant_id, a.gate_id, a.id, a.occurred_at, a.request_id, b.id, b.occurred_at, b.request_id FROM attendance_records b
            JOIN attendance_records a ON a.participant_id = b.participant_id AND a.gate_id = b.gate_id
              AND (a.occurred_at, a.id) < (b.occurred_at, b.id) AND b.occurred_at < a.occurred_at + $1
            ORDER BY b.occurred_at LIMIT 10
            """);
        command.Parameters.AddWithValue(ReEntryWindow);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _output.WriteLine($"re-admitted: participant {reader.GetInt64(0)} gate {reader.GetInt64(1)}: first {Describe(reader, 2, answers)}, again {Describe(reader, 5, answers)}");
        }
    }

    private static string Describe(NpgsqlDataReader reader, int column, Dictionary<Guid, string> answers)
    {
        var record = reader.GetGuid(column);
        var request = reader.IsDBNull(column + 2) ? "none" : reader.GetGuid(column + 2).ToString("N");
        return string.Create(CultureInfo.InvariantCulture, $"{record:N} at {reader.GetDateTime(column + 1):HH:mm:ss.fff} (request {request}; answers {answers.GetValueOrDefault(record, "none")})");
    }

    private void Report(ScenarioFigures figures, IReadOnlyList<Observation> observations)
    {
        FaultResults.Add(figures);
        _output.WriteLine(ScenarioFigures.Header);
        _output.WriteLine(figures.ToRow());
        var during = observations.Where(o => o.Started >= _faultStarted && o.Started < _faultEnded).ToList();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fault from {_faultStarted:0.0} s to {_faultEnded:0.0} s; during it: {Histogram(during)}; whole run: {Histogram(observations)}"));
        _output.WriteLine($"results: {Path.Combine(FaultResults.Directory, "results.md")}");
    }

    private static string Histogram(IEnumerable<Observation> observations)
        => string.Join(", ", observations.GroupBy(o => (o.Status, o.RetryAfter)).OrderBy(g => g.Key.Status)
            .Select(g => $"{CheckInClients.Describe(g.Key.Status)}{(g.Key.RetryAfter ? "+Retry-After" : "")} {g.Count()}"));

    private void Assert(ScenarioFigures figures, IReadOnlyList<Observation> observations, bool hostGoesDown, double? recovered)
    {
        Xunit.Assert.True(figures.Acknowledged > 0, "no check-in was admitted at all");
        Xunit.Assert.True(figures.Lost == 0, $"{figures.Lost} acknowledged (201) records are missing from PostgreSQL");
        Xunit.Assert.True(figures.DuplicateAdmissions == 0, $"{figures.DuplicateAdmissions} re-admissions of a passage inside the re-entry window");
        Xunit.Assert.True(figures.RequestIdConflicts == 0, $"{figures.RequestIdConflicts} request ids with two different records");
        var bad = observations.Where(o => o.Status > 0 && !o.IsAllowedAnswer).Take(5).Select(o => $"{CheckInClients.Describe(o.Status)} at {o.Started:0.0} s").ToList();
        Xunit.Assert.True(figures.BadAnswers == 0, $"{figures.BadAnswers} answers other than 201/200 or 429/503 with Retry-After, e.g. {string.Join("; ", bad)}");
        Xunit.Assert.True(figures.Hung == 0, $"{figures.Hung} check-ins got no answer within {CheckInClients.ClientTimeout.TotalSeconds} s");
        if (!hostGoesDown)
        {
            Xunit.Assert.True(figures.Unreachable == 0, $"{figures.Unreachable} check-ins could not reach a host that was up");
        }

        Xunit.Assert.True(recovered is not null, $"no check-in succeeded within {RecoveryBound.TotalSeconds} s after the fault ended");
        Xunit.Assert.Contains(observations, o => o.Started > recovered && o.IsSuccess);
    }

    private static async Task<(string ScannerKey, string[] Tokens, long[] Gates)> SeedAsync(Uri host, string adminKey)
    {
        using var admin = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        var gates = new long[Gates];
        for (var i = 0; i < Gates; i++)
        {
            using var response = await admin.PostAsJsonAsync("api/v1/gates", new { name = $"Gate {i + 1}", kind = "entrance", open = true });
            gates[i] = (await ReadAsync(response, "creating a gate")).GetProperty("id").GetInt64();
        }

        string scannerKey;
        using (var response = await admin.PostAsJsonAsync("api/v1/scanners", new { name = "Fault scanner", gateIds = gates }))
        {
            scannerKey = (await ReadAsync(response, "creating a scanner")).GetProperty("apiKey").GetString()!;
        }

        var tokens = Enumerable.Range(0, Participants).Select(_ => "EK" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_')).ToArray();
        var json = new StringBuilder("[");
        for (var i = 0; i < tokens.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"name\":\"Attendee {i}\",\"credential\":\"{tokens[i]}\"}}");
        }

        using (var content = new StringContent(json.Append(']').ToString(), Encoding.UTF8, "application/json"))
        using (var response = await admin.PostAsync("api/v1/participants", content))
        {
            await ReadAsync(response, "importing participants");
        }

        return (scannerKey, tokens, gates);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
