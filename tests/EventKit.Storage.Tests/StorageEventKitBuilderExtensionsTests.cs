using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventKit.Storage.Tests;

public sealed class StorageEventKitBuilderExtensionsTests
{
    [Fact]
    public void Registers_every_contract_once_even_when_called_twice()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventKit().AddPostgresStorage(o => o.ConnectionString = "Host=localhost").AddPostgresStorage();
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IParticipantDirectory>(), provider.GetRequiredService<IParticipantRegistry>());
        Assert.NotNull(provider.GetRequiredService<IParticipantSearch>());
        Assert.NotNull(provider.GetRequiredService<IBleIdentityStore>());
        Assert.Same(provider.GetRequiredService<IGateDirectory>(), provider.GetRequiredService<IGateRegistry>());
        Assert.NotNull(provider.GetRequiredService<IAttendanceReader>());
        Assert.NotNull(provider.GetRequiredService<IAttendanceWriter>());
        Assert.NotNull(provider.GetRequiredService<QueryAnalyzer>());
        Assert.NotNull(provider.GetRequiredService<PostgresStorageHealthCheck>());
        Assert.Equal(4, services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == typeof(PostgresStorageOptions).Assembly));
        var health = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>().Value;
        Assert.Single(health.Registrations, r => r.Name == "postgresql");
        Assert.Single(services, d => d.ServiceType == typeof(IParticipantDirectory) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IParticipantDirectory) && Equals(d.ServiceKey, EventKitServiceKeys.Store));
    }

    [Fact]
    public void Applies_the_seed_pool_defaults_unless_the_connection_string_sets_them()
    {
        var options = new PostgresStorageOptions();
        var built = new Npgsql.NpgsqlConnectionStringBuilder(StorageDataSources.Build(options, "Host=db;Maximum Pool Size=7", null).ConnectionString);

        Assert.Equal(10, built.MinPoolSize);
        Assert.Equal(7, built.MaxPoolSize);
        Assert.Equal(30, built.ConnectionIdleLifetime);
        Assert.Equal(2, built.Timeout);
        Assert.Equal(30, built.KeepAlive);
        Assert.Equal(32, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
        Assert.False(new Npgsql.NpgsqlConnectionStringBuilder(StorageDataSources.Build(options, "Host=db;No Reset On Close=false", null).ConnectionString).NoResetOnClose);
    }

    [Fact]
    public void Multi_host_connection_strings_route_writes_to_the_primary_and_reads_to_standbys()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventKit().AddPostgresStorage(o => o.ConnectionString = "Host=a,b;Username=u");
        using var provider = services.BuildServiceProvider();
        var sources = provider.GetRequiredService<StorageDataSources>();

        Assert.NotSame(sources.Write, sources.Read);
        Assert.Contains("a,b", sources.Read.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_a_host_supplied_data_source_for_writes_and_leaves_it_undisposed()
    {
        await using var hostSource = Npgsql.NpgsqlDataSource.Create(Testing.TestServers.Postgres);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventKit().AddPostgresStorage((_, o) =>
        {
            o.DataSource = hostSource;
            o.ReadConnectionString = "Host=replica;Username=u";
        });
        var provider = services.BuildServiceProvider();
        var sources = provider.GetRequiredService<StorageDataSources>();

        Assert.Same(hostSource, sources.Write);
        Assert.Contains("replica", sources.Read.ConnectionString, StringComparison.Ordinal);
        await provider.DisposeAsync();
        await using var connection = await hostSource.OpenConnectionAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task Uses_the_applications_registered_data_source_when_given_no_connection_and_leaves_it_undisposed()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(Testing.TestServers.Postgres));
        services.AddEventKit().AddPostgresStorage();
        var provider = services.BuildServiceProvider();
        var registered = provider.GetRequiredService<Npgsql.NpgsqlDataSource>();

        var sources = provider.GetRequiredService<StorageDataSources>();

        Assert.Same(registered, sources.Write);
        Assert.Same(registered, sources.Read);
        await using (var connection = await sources.Write.OpenConnectionAsync())
        {
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }

        // The container disposes what it created (the app's registration), so dispose the storage alone first.
        await sources.DisposeAsync();
        await using (var connection = await registered.OpenConnectionAsync())
        {
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }

        await provider.DisposeAsync();
    }

    [Fact]
    public void A_connection_string_wins_over_a_registered_data_source_and_the_switch_turns_it_off()
    {
        using var registered = Npgsql.NpgsqlDataSource.Create("Host=registered;Username=u");
        var withString = new ServiceCollection().AddLogging().AddSingleton(registered);
        withString.AddEventKit().AddPostgresStorage(o => o.ConnectionString = "Host=explicit;Username=u");
        var switchedOff = new ServiceCollection().AddLogging().AddSingleton(registered);
        switchedOff.AddEventKit().AddPostgresStorage(o => o.UseRegisteredDataSource = false);
        using var first = withString.BuildServiceProvider();
        using var second = switchedOff.BuildServiceProvider();

        Assert.Contains("explicit", first.GetRequiredService<StorageDataSources>().Write.ConnectionString, StringComparison.Ordinal);
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => second.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostgresStorageOptions>>().Value);
        Assert.Contains("an NpgsqlDataSource registered in the service collection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_names_each_bad_setting_and_its_range()
    {
        var options = new PostgresStorageOptions { MaxPoolSize = 0 };
        options.Writer.MaxBatchSize = 0;
        options.Maintenance.PartitionMonths = 5;

        var result = new PostgresStorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EventKit:Storage:ConnectionString", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("EventKit:Storage:MaxPoolSize must be between 1 and 1000", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Writer:MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("PartitionMonths must be one of", StringComparison.Ordinal));
        Assert.True(new PostgresStorageOptionsValidator().Validate(null, new PostgresStorageOptions { ConnectionString = "Host=x" }).Succeeded);
    }

    [Fact]
    public async Task A_host_starts_migrates_creates_partitions_and_stops_with_the_writer_drained()
    {
        await using var db = new Testing.PostgresFixture();
        await db.InitializeAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = db.ConnectionString;
            o.MinPoolSize = 0;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var record = AttendanceRecord.Create(1, 1, 1, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await host.Services.GetRequiredService<IAttendanceWriter>().AppendAsync(record);
        await host.StopAsync();

        await using var count = db.DataSource.CreateCommand("SELECT (SELECT count(*) FROM schema_migrations) * 1000 + (SELECT count(*) FROM pg_inherits WHERE inhparent = 'attendance_records'::regclass)");
        Assert.Equal((Storage.Internal.Migrator.Migrations.Count * 1000L) + 6, (long)(await count.ExecuteScalarAsync())!);
        var health = await host.Services.GetRequiredService<PostgresStorageHealthCheck>().CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, health.Status);
        Assert.Equal(1, Assert.Single(await host.Services.GetRequiredService<IAttendanceReader>().GetSummariesAsync([1])).Count);
    }
}
