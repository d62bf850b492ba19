using EventKit.Caching;
using EventKit.Gates.Ble;
using EventKit.Redis;
using EventKit.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Tests;

/// <summary>Every configuration key the docs and messages name is bound by the packages themselves, from environment variables too.</summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public void Every_documented_key_set_by_environment_variable_takes_effect()
    {
        // A prefix of its own keeps these variables away from other tests; the provider strips it, so the keys are the
        // ones an integrator sets (EventKit__Storage__MaxPoolSize, EVENTKIT_ADMIN_KEY, ConnectionStrings__eventkit-redis…).
        var prefix = $"EKTEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["EventKit__EventId"] = "42",
            ["EventKit__ReEntryWindow"] = "00:00:07",
            ["EventKit__ClaimsCapacity"] = "5000",
            ["EventKit__Storage__MaxPoolSize"] = "17",
            ["EventKit__Storage__Writer__MaxBatchSize"] = "333",
            ["ConnectionStrings__eventkit-postgres"] = "Host=db.example;Database=ek",
            ["EventKit__Caching__L1Capacity"] = "12345",
            ["EventKit__Caching__Policies__Analytics__Expiration"] = "00:02:00",
            ["EventKit__Redis__KeyPrefix"] = "event-42:",
            ["ConnectionStrings__eventkit-redis"] = "redis.example:6380",
            ["EventKit__Claims__Timeout"] = "00:00:00.250",
            ["EventKit__Api__MaxImportItems"] = "777",
            ["EVENTKIT_ADMIN_KEY"] = "admin-key-from-environment-0123",
            ["EVENTKIT_CREDENTIAL_PEPPER"] = "pepper-from-environment-0123456789abcdef",
            ["EventKit__Security__MinimumTokenLength"] = "20",
            ["EventKit__Api__AdminKeys__ops"] = "named-admin-key-from-environment",
            ["EventKit__Ble__EnterRadius"] = "2.5",
            ["EventKit__Caching__ApplicationKeyPrefix"] = "event-42:app:",
            ["EventKit__Monitoring__HistoryLimit"] = "321",
            ["EventKit__Monitoring__Recovery__MaxPerHour"] = "9",
            ["EventKit__Monitoring__Rules__0__Name"] = "env-rule",
            ["EventKit__Monitoring__Rules__0__Instrument"] = "eventkit.checkin.duration",
            ["EventKit__Monitoring__Rules__0__Threshold"] = "0.5",
            ["EventKit__Scaling__NodeId"] = "node-from-env",
            ["EventKit__Scaling__HeartbeatInterval"] = "00:00:02",
        };
        foreach (var (key, value) in variables)
        {
            Environment.SetEnvironmentVariable(prefix + key, value);
        }

        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.Services.AddEventKit().AddPostgresStorage().AddRedisCheckInClaims().AddHybridCaching().AddBleGates().AddMonitoring().AddScaling().AddHttpApi();
            using var host = builder.Build();
            var services = host.Services;

            var core = services.GetRequiredService<IOptions<EventKitOptions>>().Value;
            Assert.Equal(42, core.EventId);
            Assert.Equal(TimeSpan.FromSeconds(7), core.ReEntryWindow);
            Assert.Equal(5000, core.ClaimsCapacity);
            Assert.Equal("pepper-from-environment-0123456789abcdef", core.Security.CredentialPepper);
            Assert.Equal(20, core.Security.MinimumTokenLength);
            Assert.True(services.GetRequiredService<CredentialHasher>().IsPeppered);
            var storage = services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
            Assert.Equal(17, storage.MaxPoolSize);
            Assert.Equal(333, storage.Writer.MaxBatchSize);
            Assert.Equal("Host=db.example;Database=ek", storage.ConnectionString);
            var caching = services.GetRequiredService<IOptions<HybridCachingOptions>>().Value;
            Assert.Equal(12345, caching.L1Capacity);
            Assert.Equal(TimeSpan.FromMinutes(2), caching.Policies.Analytics.Expiration);
            var redis = services.GetRequiredService<IOptions<RedisConnectionOptions>>().Value;
            Assert.Equal("event-42:", redis.KeyPrefix);
            Assert.Equal("redis.example:6380", redis.Configuration);
            Assert.Equal(TimeSpan.FromMilliseconds(250), services.GetRequiredService<IOptions<RedisCheckInClaimsOptions>>().Value.Timeout);
            var api = services.GetRequiredService<IOptions<EventKitApiOptions>>().Value;
            Assert.Equal(777, api.MaxImportItems);
            Assert.Equal("admin-key-from-environment-0123", api.AdminKey);
            Assert.Equal("named-admin-key-from-environment", api.AdminKeys["ops"]);
            Assert.Equal(2.5, services.GetRequiredService<IOptions<BleGateOptions>>().Value.EnterRadius);
            Assert.Equal("event-42:app:", caching.ApplicationKeyPrefix);
            var monitoring = services.GetRequiredService<IOptions<EventKit.Monitoring.MonitoringOptions>>().Value;
            Assert.Equal(321, monitoring.HistoryLimit);
            Assert.Equal(9, monitoring.Recovery.MaxPerHour);
            var rule = Assert.Single(monitoring.Rules);
            Assert.Equal(("env-rule", "eventkit.checkin.duration", 0.5), (rule.Name, rule.Instrument, rule.Threshold));
            var scaling = services.GetRequiredService<IOptions<EventKit.Scaling.ScalingOptions>>().Value;
            Assert.Equal("node-from-env", scaling.NodeId);
            Assert.Equal(TimeSpan.FromSeconds(2), scaling.HeartbeatInterval);
        }
        finally
        {
            foreach (var key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Fact]
    public void The_callers_delegate_wins_over_configuration()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EVENTKIT_POSTGRES"] = "Host=from-config",
            ["EventKit:Api:AdminKey"] = "from-config-0123456789",
            ["EventKit:Security:CredentialPepper"] = "from-config-pepper-0123456789abcdef",
        });
        builder.Services.AddEventKit()
            .AddPostgresStorage(o => o.ConnectionString = "Host=from-code")
            .AddHttpApi(o => o.AdminKey = "from-code-0123456789");
        using var host = builder.Build();

        Assert.Equal("Host=from-code", host.Services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.ConnectionString);
        Assert.Equal("from-code-0123456789", host.Services.GetRequiredService<IOptions<EventKitApiOptions>>().Value.AdminKey);
    }
}
