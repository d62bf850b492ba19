using EventKit.Gates.Ble.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Gates.Ble.Tests.Hosting;

/// <summary>A service provider with BLE gates, a manual clock, a recording check-in service and an in-memory identity store.</summary>
internal sealed class BleTestHost : IDisposable
{
    public const long WindowStart = 1_763_715_072;

    public BleTestHost(Action<BleGateOptions>? configure = null, Action<IEventKitBuilder>? extend = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICheckInService>(CheckIns);
        services.AddSingleton<IBleIdentityStore>(Store);
        services.AddSingleton<IBleGateObserver>(Observer);
        var builder = services.AddEventKit().AddBleGates(o =>
        {
            o.Gateways["gw-1"] = 1;
            o.Gateways["gw-2"] = 2;
            configure?.Invoke(o);
        });
        extend?.Invoke(builder);
        Provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(WindowStart + 100));

    public RecordingCheckInService CheckIns { get; } = new();

    public InMemoryBleIdentityStore Store { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public ServiceProvider Provider { get; }

    public IBleReportIngestor Ingestor => Provider.GetRequiredService<IBleReportIngestor>();

    public BleReportIngestor Internals => Provider.GetRequiredService<BleReportIngestor>();

    public EddystoneEidResolver Resolver => Provider.GetRequiredService<EddystoneEidResolver>();

    public BleIdentity AddParticipant(long participantId)
    {
        var identity = new BleIdentity(participantId, Credentials.EidVectors.Key((byte)participantId));
        Store.Put(identity);
        Resolver.AddOrUpdate(identity);
        return identity;
    }

    public string Line(BleIdentity identity, int rssi, long? atMs = null, ulong mac = 0xC6A512345678)
    {
        var at = atMs ?? Time.GetUtcNow().ToUnixTimeMilliseconds();
        var advert = Convert.ToHexString(EddystoneEid.CreateAdvert(identity, DateTimeOffset.FromUnixTimeMilliseconds(at), txPowerAt0m: -18));
        return $"{{\"t\":{at},\"mac\":\"{mac:X12}\",\"rssi\":{rssi},\"adv\":\"{advert}\"}}\n";
    }

    public void Dispose() => Provider.Dispose();
}
