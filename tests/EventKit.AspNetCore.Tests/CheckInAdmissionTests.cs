using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using EventKit.AspNetCore.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// Overload: the in-flight limit of the check-in endpoints sheds with 503 + Retry-After before any work, never lets more
/// check-ins in than its limit, and a pool that cannot give a connection in time is a 503 too. The slow part is a real
/// PostgreSQL transaction holding a lock on attendance_records, so admissions stay in flight until the test lets go.
/// </summary>
public sealed class CheckInAdmissionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_full_node_answers_503_overloaded_with_Retry_After_and_records_nothing()
    {
        await using var host = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-full:", api: o =>
        {
            o.MaxConcurrentCheckIns = 1;
            o.MaxQueuedCheckIns = 0;
            o.OverloadRetryAfter = TimeSpan.FromSeconds(3);
        });
        var gate = await host.CreateGateAsync("Full");
        var (first, second) = (ApiFixture.Token(), ApiFixture.Token());
        await host.ImportAsync(("First", first, "active"), ("Second", second, "active"));
        var admission = host.Services.GetRequiredService<CheckInAdmission>();
        var shedRequest = Guid.CreateVersion7();

        HttpResponseMessage admitted;
        await using (var hold = await LockAttendanceAsync())
        {
            var pending = host.CheckInAsync(gate, first);
            await Eventually.TrueAsync(() => admission.InFlight == 1, "the first check-in holds the only slot");

            using (var shed = await host.CheckInAsync(gate, second, shedRequest))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(3), shed.Headers.RetryAfter?.Delta);
                Assert.Equal("overloaded", (await shed.BodyAsync()).GetProperty("code").GetString());
            }

            // The gate alias shares the bound; a caller without a key is shed too (before the key is even looked at).
            using (var alias = await host.PostGateCheckInAsync(gate, new { credential = second, method = "qr" }))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, alias.StatusCode);
                Assert.NotNull(alias.Headers.RetryAfter);
            }

            using (var anonymous = await host.PostCheckInAsync(JsonContent.Create(new { gateId = gate, credential = second, method = "qr" }), "no-key"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode);
            }

            Assert.False(pending.IsCompleted, "the first check-in waits for the locked table");
            await hold.CloseAsync();
            admitted = await pending;
        }

        using (admitted)
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        }

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM attendance_records WHERE request_id = $1", shedRequest));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate));
        await Eventually.TrueAsync(() => admission.InFlight == 0, "the slot is given back");

        // With the slot free again, the refused request is admitted on retry.
        using var retry = await host.CheckInAsync(gate, second, shedRequest);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }

    [Fact]
    public async Task In_flight_check_ins_never_exceed_the_limit_the_queue_waits_its_turn_and_the_rest_are_shed()
    {
        const int Limit = 3, QueueLimit = 5, Requests = 20;
        var counting = new List<ConcurrencyCountingCheckIns>();
        await using var host = await ApiHost.StartAsync(
            postgres.ConnectionString,
            redis: null,
            "admission-bound:",
            api: o =>
            {
                o.MaxConcurrentCheckIns = Limit;
                o.MaxQueuedCheckIns = QueueLimit;
            },
            services: services => DecorateCheckIns(services, counting));
        var gate = await host.CreateGateAsync("Bound");
        var tokens = Enumerable.Range(0, Requests).Select(_ => ApiFixture.Token()).ToArray();
        await host.ImportAsync([.. tokens.Select((t, i) => ($"P{i}", t, "active"))]);
        var admission = host.Services.GetRequiredService<CheckInAdmission>();

        HttpResponseMessage[] responses;
        await using (var hold = await LockAttendanceAsync())
        {
            var calls = tokens.Select(t => host.CheckInAsync(gate, t)).ToArray();

            // Everything beyond the limit and the queue is answered at once, while the others are still stuck.
            await Eventually.TrueAsync(() => calls.Count(c => c.IsCompleted) == Requests - Limit - QueueLimit, "the surplus is shed");
            var service = Assert.Single(counting);
            await Eventually.TrueAsync(() => service.Current == Limit, "the admitted check-ins reach the check-in service");
            Assert.Equal(Limit, admission.InFlight);
            Assert.Equal(QueueLimit, admission.Queued);
            foreach (var shed in calls.Where(c => c.IsCompleted))
            {
                using var response = await shed;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
            }

            await hold.CloseAsync();
            responses = await Task.WhenAll(calls.Where(c => !c.IsCompleted));
        }

        Assert.Equal(Limit + QueueLimit, responses.Length);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(Limit, Assert.Single(counting).Max);
        Assert.Equal(Limit + QueueLimit, await CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task An_exhausted_connection_pool_is_a_503_with_Retry_After_never_a_500()
    {
        // The host's own data source, with a pool of two that waits one second for a connection.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { MaxPoolSize = 2, MinPoolSize = 0, Timeout = 1 }.ConnectionString);
        await using var host = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-pool:", storage: o => o.DataSource = dataSource);
        var shedByStorage = 0L;
        using var listener = ListenForShed(host.Services.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.AspNetCore), CheckInAdmission.StorageReason, () => Interlocked.Increment(ref shedByStorage));
        var gate = await host.CreateGateAsync("Pool");
        using (var warm = await host.CheckInAsync(gate, ApiFixture.Token()))
        {
            Assert.Equal(HttpStatusCode.NotFound, warm.StatusCode);
        }

        // Take every connection of the pool (background work may hold one for a moment: retry until both are ours).
        var held = new List<NpgsqlConnection>();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    held.Add(await dataSource.OpenConnectionAsync());
                }
                catch (NpgsqlException)
                {
                }

                return held.Count == 2;
            },
            "the test holds both pooled connections",
            TimeSpan.FromSeconds(30));

        try
        {
            // An unknown credential needs PostgreSQL: the lookup cannot get a connection within the pool's Timeout.
            using var response = await host.CheckInAsync(gate, ApiFixture.Token());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
            Assert.Equal("storage_unavailable", (await response.BodyAsync()).GetProperty("code").GetString());
            Assert.True(Interlocked.Read(ref shedByStorage) >= 1, "counted as shed for storage");
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        using var after = await host.CheckInAsync(gate, ApiFixture.Token());
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task The_default_limits_follow_the_pool_size_and_bind_from_configuration()
    {
        await using (var sized = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-sized:", storage: o =>
        {
            o.MinPoolSize = 0;
            o.MaxPoolSize = 7;
        }))
        {
            var admission = sized.Services.GetRequiredService<CheckInAdmission>();
            Assert.Equal(7, admission.Limit);
            Assert.Equal(14, admission.QueueLimit);
        }

        await using var configured = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-configured:", settings: new Dictionary<string, string?>
        {
            ["EventKit:Api:MaxConcurrentCheckIns"] = "33",
            ["EventKit:Api:MaxQueuedCheckIns"] = "0",
            ["EventKit:Api:OverloadRetryAfter"] = "00:00:05",
        });
        var bound = configured.Services.GetRequiredService<CheckInAdmission>();
        Assert.Equal(33, bound.Limit);
        Assert.Equal(0, bound.QueueLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), bound.RetryAfter);
    }

    [Theory]
    [InlineData(-1, null, 1, "EventKit:Api:MaxConcurrentCheckIns")]
    [InlineData(null, -1, 1, "EventKit:Api:MaxQueuedCheckIns")]
    [InlineData(null, null, 0, "EventKit:Api:OverloadRetryAfter")]
    public async Task Out_of_range_limits_stop_the_host_naming_the_setting(int? concurrent, int? queued, int retryAfterSeconds, string setting)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-invalid:", api: o =>
        {
            o.MaxConcurrentCheckIns = concurrent;
            o.MaxQueuedCheckIns = queued;
            o.OverloadRetryAfter = TimeSpan.FromSeconds(retryAfterSeconds);
        }));

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_a_surge_Retry_After_grows_with_arrivals_per_admission_and_decays_when_nothing_is_shed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var admission = new CheckInAdmission(
            Options.Create(new EventKitApiOptions { MaxConcurrentCheckIns = 1, MaxQueuedCheckIns = 0, OverloadRetryAfter = TimeSpan.FromSeconds(1), MaxOverloadRetryAfter = TimeSpan.FromSeconds(10) }),
            new ServiceCollection().BuildServiceProvider(),
            metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CheckInAdmission>.Instance);

        // One check-in let in and four shed in a second: the base value until the second is over, then 5× it.
        using (await admission.TryEnterAsync(CancellationToken.None))
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), admission.CurrentRetryAfter());
                admission.NoteShed();
            }
        }

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(5), admission.CurrentRetryAfter());

        // Everything shed in a second, nothing let in: doubled, but never past the maximum.
        admission.NoteShed();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(10), admission.CurrentRetryAfter());

        // A second without shedding: three quarters of it; 7.5 s is sent as 7 or 8 s, 8 s about half the time.
        (await admission.TryEnterAsync(CancellationToken.None))!.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        var sent = Enumerable.Range(0, 2000).Select(_ => admission.CurrentRetryAfter().TotalSeconds).ToList();
        Assert.All(sent, s => Assert.Contains(s, new[] { 7.0, 8.0 }));
        Assert.InRange(sent.Average(), 7.3, 7.7);

        // Quiet seconds bring it back to the configured value, not below.
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            admission.CurrentRetryAfter();
        }

        Assert.Equal(TimeSpan.FromSeconds(1), admission.CurrentRetryAfter());
    }

    [Fact]
    public async Task A_limit_of_0_turns_the_bound_off()
    {
        await using var host = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "admission-off:", api: o => o.MaxConcurrentCheckIns = 0);
        var gate = await host.CreateGateAsync("Off");
        var admission = host.Services.GetRequiredService<CheckInAdmission>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.CheckInAsync(gate, ApiFixture.Token())));

        Assert.Equal(0, admission.Limit);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>A connection whose open transaction holds attendance_records in ACCESS EXCLUSIVE mode: every durable write
    /// waits for it. Closing the connection rolls the transaction back and lets them go.</summary>
    private async Task<NpgsqlConnection> LockAttendanceAsync()
    {
        var connection = await postgres.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE attendance_records IN ACCESS EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<long> CountAsync(string sql, object parameter)
    {
        await using var command = postgres.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Counts <see cref="CheckInAdmission.ShedInstrument"/> measurements of <paramref name="meter"/> (one host's) with <paramref name="reason"/>.</summary>
    private static MeterListener ListenForShed(Meter meter, string reason, Action onShed)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == CheckInAdmission.ShedInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason" && Equals(tag.Value, reason))
                {
                    onShed();
                }
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>Wraps the registered check-in service in <see cref="ConcurrencyCountingCheckIns"/> (one per host, added to <paramref name="created"/>).</summary>
    private static void DecorateCheckIns(IServiceCollection services, List<ConcurrencyCountingCheckIns> created)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ICheckInService));
        var implementation = registered.ImplementationType ?? throw new InvalidOperationException("ICheckInService is expected to be registered by type.");
        services.Replace(ServiceDescriptor.Singleton<ICheckInService>(provider =>
        {
            var counting = new ConcurrencyCountingCheckIns((ICheckInService)ActivatorUtilities.CreateInstance(provider, implementation));
            created.Add(counting);
            return counting;
        }));
    }

    /// <summary>The real check-in service, counting how many calls run at once (now and at most).</summary>
    private sealed class ConcurrencyCountingCheckIns(ICheckInService inner) : ICheckInService
    {
        private int _current;
        private int _max;

        public int Current => Volatile.Read(ref _current);

        public int Max => Volatile.Read(ref _max);

        public async ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _current);
            var seen = Volatile.Read(ref _max);
            while (now > seen && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
                seen = Volatile.Read(ref _max);
            }

            try
            {
                return await inner.CheckInAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }
}
