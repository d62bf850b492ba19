namespace EventKit.Testing.Tests;

/// <summary>The fixtures as an integrator's xUnit suite uses them: class fixtures, a host with EventKit's verbs on them.</summary>
public sealed class CheckInOnFixturesTests(XunitPostgres database, XunitRedis redis) : IClassFixture<XunitPostgres>, IClassFixture<XunitRedis>
{
    [Fact]
    public async Task A_host_on_the_fixtures_admits_a_participant_once()
    {
        await FixtureScenarios.AssertCheckInWorksAsync(database, redis);
    }
}

/// <summary>The README's xUnit wiring.</summary>
public sealed class XunitPostgres : EventKitPostgresFixture, IAsyncLifetime
{
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>The README's xUnit wiring.</summary>
public sealed class XunitRedis : EventKitRedisFixture, IAsyncLifetime
{
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
