using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>What every storage suite holds: a raw data source for baselines and EventKit's services over the same database.</summary>
public abstract class StorageBenchmark
{
    private protected NpgsqlDataSource DataSource { get; private set; } = null!;

    private protected ServiceProvider Provider { get; private set; } = null!;

    private protected GroupCommitAttendanceWriter AttendanceWriter => Provider.GetRequiredService<GroupCommitAttendanceWriter>();

    private protected async Task<string> OpenAsync(string database, Func<ServiceProvider, NpgsqlDataSource, Task>? seed = null, string rawOptions = "")
    {
        var connectionString = await BenchDatabase.EnsureAsync(database, seed ?? (static (_, _) => Task.CompletedTask));
        DataSource = NpgsqlDataSource.Create(connectionString + rawOptions);
        Provider = BenchDatabase.Provider(connectionString);
        return connectionString;
    }

    private protected void TruncateAttendance() => BenchDatabase.ExecuteAsync(DataSource, "TRUNCATE attendance_records").GetAwaiter().GetResult();

    private protected async Task CloseAsync()
    {
        await Provider.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
