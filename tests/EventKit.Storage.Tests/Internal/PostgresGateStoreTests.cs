namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresGateStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    [Fact]
    public async Task Creates_reads_lists_and_opens_gates()
    {
        var gates = fixture.Gates;
        var north = await gates.CreateAsync(7, "North entrance", GateKind.Entrance, isOpen: true);
        var exit = await gates.CreateAsync(7, "Exit", GateKind.Exit, isOpen: false);
        await gates.CreateAsync(8, "Elsewhere", GateKind.Session, isOpen: true);

        Assert.True(north.Id > 0);
        Assert.Equal(north, await gates.GetAsync(north.Id));
        Assert.Equal([north, exit], await gates.GetAllAsync(7));
        Assert.Null(await gates.GetAsync(long.MaxValue));

        Assert.True(await gates.SetOpenAsync(exit.Id, true));
        Assert.True((await gates.GetAsync(exit.Id))!.IsOpen);
        Assert.False(await gates.SetOpenAsync(long.MaxValue, true));
    }

    [Fact]
    public async Task Refuses_an_invalid_gate_before_writing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Gates.CreateAsync(9, new string('g', 101), GateKind.Entrance, true));
        Assert.Empty(await fixture.Gates.GetAllAsync(9));
    }
}
