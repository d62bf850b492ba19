using EventKit.Testing;
using EventKit.Gates.Ble.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Gates.Ble.Tests.Hosting;

public sealed class BleEventKitBuilderExtensionsTests
{
    [Fact]
    public void RegistrationIsIdempotent()
    {
        var services = new ServiceCollection();
        var builder = services.AddEventKit();

        builder.AddBleGates().AddBleGates(o => o.EnterRadius = 1).AddBleGates((_, o) => o.ExitRadius = 4);

        Assert.Single(services, d => d.ServiceType == typeof(IBleReportIngestor));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "BleHousekeepingService");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<BleGateOptions>>().Value;
        Assert.Equal(1, options.EnterRadius);
        Assert.Equal(4, options.ExitRadius);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var builder = new ServiceCollection().AddEventKit();

        Assert.Throws<ArgumentNullException>(() => ((IEventKitBuilder)null!).AddBleGates());
        Assert.Throws<ArgumentNullException>(() => builder.AddBleGates((Action<BleGateOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddBleGates((Action<IServiceProvider, BleGateOptions>)null!));
    }

    [Fact]
    public async Task InvalidOptionsFailAtStartNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<ICheckInService, RecordingCheckInService>();
        builder.Services.AddEventKit().AddBleGates(o =>
        {
            o.EnterRadius = 5;
            o.ExitRadius = 3;
            o.MaxTrackedDevices = 1;
            o.Gateways["gw"] = 0;
            o.StaticEddystoneNamespace = "xyz";
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("EventKit:Ble:ExitRadius", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EventKit:Ble:MaxTrackedDevices must be between 16 and 10000000", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EventKit:Ble:Gateways:gw", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EventKit:Ble:StaticEddystoneNamespace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaticModeWithoutABadgeTableFailsAtStartNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<ICheckInService, RecordingCheckInService>();
        builder.Services.AddEventKit().AddBleGates(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticIBeaconUuid = Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0");
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EventKit:Ble:StaticBadges", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticModeStartsWithItsOwnBadgeDirectory()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<ICheckInService, RecordingCheckInService>();
        builder.Services.AddSingleton<IBleStaticBadgeDirectory, FixedBadgeDirectory>();
        builder.Services.AddEventKit().AddBleGates(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticIBeaconUuid = Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0");
        });
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.IsType<FixedBadgeDirectory>(host.Services.GetRequiredService<IBleStaticBadgeDirectory>());
    }

    [Fact]
    public void BadgeTableBindsFromConfigurationAndRefusesGuessableNumbers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventKit:Ble:EnableStaticBeacons"] = "true",
            ["EventKit:Ble:StaticIBeaconUuid"] = "e2c56db5-dffb-48d2-b060-d0f5a71096e0",
            ["EventKit:Ble:StaticBadges:2671399367"] = "7",
            ["EventKit:Ble:StaticBadges:8"] = "8",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddEventKit().AddBleGates();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BleGateOptions>>().Value);

        var failure = Assert.Single(error.Failures);
        Assert.Contains("EventKit:Ble:StaticBadges:8 equals its participant id", failure, StringComparison.Ordinal);
        var options = new BleGateOptions();
        configuration.GetSection("EventKit:Ble").Bind(options);
        Assert.Equal(7, options.StaticBadges[2671399367]);
    }

    [Fact]
    public void PlausibleTxRangeAndCalibrationsAreValidated()
    {
        var options = new BleGateOptions { MinPlausibleTxPower = 30, MaxPlausibleTxPower = 25 };
        options.GatewayCalibrations["gw-a"] = 10;

        var result = new BleGateOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("EventKit:Ble:MinPlausibleTxPower", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("EventKit:Ble:MaxPlausibleTxPower", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("EventKit:Ble:GatewayCalibrations:gw-a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorageRefusingIdentityKeysFailsTheStartButAnOutageDoesNot()
    {
        static IHost Build(IBleIdentityStore store)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton<ICheckInService, RecordingCheckInService>();
            builder.Services.AddSingleton(store);
            builder.Services.AddEventKit().AddBleGates();
            return builder.Build();
        }

        using var misconfigured = Build(new ThrowingStore(new OptionsValidationException("", typeof(object), ["EventKit:Security:BleKeyEncryptionKey is required."])));
        using var down = Build(new ThrowingStore(new TimeoutException()));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => misconfigured.StartAsync());
        await down.StartAsync();
        await down.StopAsync();

        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingStore(Exception exception) : IBleIdentityStore
    {
        public Task<bool> SetAsync(BleIdentity identity, CancellationToken cancellationToken = default) => Task.FromException<bool>(exception);

        public Task<IReadOnlyList<BleIdentity>> GetActiveAsync(long eventId, CancellationToken cancellationToken = default) => Task.FromException<IReadOnlyList<BleIdentity>>(exception);
    }

    private sealed class FixedBadgeDirectory : IBleStaticBadgeDirectory
    {
        public bool TryGetParticipant(ulong badgeNumber, out long participantId)
        {
            participantId = 1;
            return badgeNumber == 0x5A3C91E2;
        }
    }

    [Fact]
    public async Task HostedServiceLoadsIdentitiesAtStartAndReloadsThem()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(BleTestHost.WindowStart));
        var store = new InMemoryBleIdentityStore();
        store.Put(new BleIdentity(1, Credentials.EidVectors.Key(1)));
        store.Put(new BleIdentity(2, Credentials.EidVectors.Key(2)));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ICheckInService, RecordingCheckInService>();
        builder.Services.AddSingleton<IBleIdentityStore>(store);
        builder.Services.AddEventKit().AddBleGates(o => o.IdentityReloadInterval = TimeSpan.FromSeconds(30));
        using var host = builder.Build();
        var resolver = host.Services.GetRequiredService<EddystoneEidResolver>();

        await host.StartAsync();
        try
        {
            Assert.Equal(2, resolver.IdentityCount);

            store.Delete(1);
            store.Put(new BleIdentity(3, Credentials.EidVectors.Key(3)));
            for (var i = 0; i < 31; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            await Eventually.TrueAsync(() => resolver.IdentityCount == 2 && resolver.TryResolve(EddystoneEid.Compute(new BleIdentity(3, Credentials.EidVectors.Key(3)), time.GetUtcNow()), time.GetUtcNow(), out _), "the reload picks up participant 3 and drops 1");
            Assert.False(resolver.TryResolve(EddystoneEid.Compute(new BleIdentity(1, Credentials.EidVectors.Key(1)), time.GetUtcNow()), time.GetUtcNow(), out _));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
