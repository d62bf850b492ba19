using EventKit.Storage.Internal;
using EventKit.Storage.Internal.Writer;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Tests;

/// <summary>A migrated database of its own plus EventKit.Storage's services over it, for one test class.</summary>
public class StorageFixture : PostgresFixture
{
    private ServiceProvider? _provider;

    public IServiceProvider Services => _provider ?? throw new InvalidOperationException("Not initialised.");

    internal PostgresParticipantStore Participants => Services.GetRequiredService<PostgresParticipantStore>();

    internal PostgresGateStore Gates => Services.GetRequiredService<PostgresGateStore>();

    internal IAttendanceReader Reader => Services.GetRequiredService<IAttendanceReader>();

    internal GroupCommitAttendanceWriter Writer => Services.GetRequiredService<GroupCommitAttendanceWriter>();

    internal StorageDataSources Sources => Services.GetRequiredService<StorageDataSources>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await PostgresStorageMigrations.ApplyAsync(DataSource);
        _provider = BuildProvider(ConnectionString, Configure);
        await _provider.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>The BLE identity key encryption key of the tests' providers (32 bytes, base64).</summary>
    internal const string TestBleKey = "0GADvfQtcSepEHHrX3oCtW0yn4IMgABiuDQwEVk0ADc=";

    /// <summary>Services over <paramref name="connectionString"/> with small pools (many test classes share one server).</summary>
    internal static ServiceProvider BuildProvider(string connectionString, Action<PostgresStorageOptions>? configure = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = connectionString;
            o.MinPoolSize = 0;
            o.MaxPoolSize = 30;
            o.Writer.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        });
        services.Configure<BleKeyEncryptionOptions>(o => o.BleKeyEncryptionKey = TestBleKey);
        var provider = services.BuildServiceProvider();

        // Validate like the host would at start.
        _ = provider.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
        return provider;
    }

    /// <summary>The names of <c>attendance_records</c>' partitions, the default one first, the rest sorted.</summary>
    internal static async Task<List<string>> PartitionNamesAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'attendance_records'::regclass");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        names.Sort(StringComparer.Ordinal);
        if (names.Remove("attendance_records_default"))
        {
            names.Insert(0, "attendance_records_default");
        }

        return names;
    }

    protected virtual void Configure(PostgresStorageOptions options)
    {
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync();
    }
}
