using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.Storage.Tests.Internal;

/// <summary>An app at the template's default level (Information) does not log every SQL statement.</summary>
public sealed class QuietSqlLoggingTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Npgsql_statement_logs_reach_an_information_level_app_only_when_asked(bool logSql)
    {
        var logs = new ListLogger { MinimumLevel = LogLevel.Information };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs);
        builder.Services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = fixture.ConnectionString;
            o.ApplyMigrationsOnStart = false;
            o.LogSql = logSql;
        });
        using var host = builder.Build();

        await host.Services.GetRequiredService<IAttendanceReader>().FindLatestAsync(1, 1, DateTimeOffset.UtcNow.AddMinutes(-1));
        await host.Services.GetRequiredService<IAttendanceWriter>().AppendAsync(AttendanceRecord.Create(1, 99, 98, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.UtcNow));

        var statements = logs.Entries.Where(e => e.Category.StartsWith("Npgsql.Command", StringComparison.Ordinal) || e.Category.StartsWith("Npgsql.Copy", StringComparison.Ordinal)).ToList();
        if (logSql)
        {
            Assert.NotEmpty(statements);
        }
        else
        {
            Assert.Empty(statements);
        }
    }
}
