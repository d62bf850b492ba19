using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresGatewayStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private IGatewayRegistry Gateways => fixture.Services.GetRequiredService<IGatewayRegistry>();

    [Fact]
    public async Task Registers_a_gateway_at_a_gate_of_its_event_and_stores_only_the_key_hash()
    {
        var gate = await fixture.Gates.CreateAsync(31, "Hall A", GateKind.Session, true);

        var registration = await Gateways.RegisterAsync(31, "Scanner 1", gate.Id);

        Assert.True(registration.ApiKey.Length >= 43);
        Assert.Equal(CredentialHash.Compute(registration.ApiKey), registration.Gateway.ApiKeyHash);
        Assert.Equal(registration.Gateway, await Gateways.GetAsync(registration.Gateway.Id));
        Assert.DoesNotContain(registration.ApiKey, registration.ToString(), StringComparison.Ordinal);
        Assert.Null(await Gateways.GetAsync(long.MaxValue));
        Assert.Equal(0, await fixture.ScalarAsync($"SELECT count(*) FROM gateways WHERE position(convert_to('{registration.ApiKey}', 'UTF8') in api_key_hash) > 0"));
    }

    [Fact]
    public async Task Refuses_a_gate_of_another_event_and_a_bad_name()
    {
        var gate = await fixture.Gates.CreateAsync(32, "Hall B", GateKind.Session, true);

        await Assert.ThrowsAsync<UnknownGateException>(() => Gateways.RegisterAsync(33, "Scanner", gate.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => Gateways.RegisterAsync(32, " ", gate.Id));
        Assert.Equal(0, await fixture.ScalarAsync($"SELECT count(*) FROM gateways WHERE gate_id = {gate.Id}"));
    }
}
