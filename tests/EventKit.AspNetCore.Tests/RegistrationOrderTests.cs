using System.Net;
using EventKit.Storage;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>The verbs compose the same way whatever order an application calls them in.</summary>
public sealed class RegistrationOrderTests
{
    private static readonly (string Name, Action<IEventKitBuilder, string, string> Apply)[] Verbs =
    [
        ("AddPostgresStorage", static (b, pg, _) => b.AddPostgresStorage(o => o.ConnectionString = pg)),
        ("AddHybridCaching", static (b, _, prefix) => b.AddHybridCaching(o => o.KeyPrefix = prefix + "cache:")),
        ("AddCachedDirectories", static (b, _, _) => b.AddCachedDirectories()),
        ("AddHttpApi", static (b, _, _) => b.AddHttpApi(o => o.AdminKey = ApiHost.AdminKey)),
        ("AddRedisCheckInClaims", static (b, _, prefix) => b.AddRedisCheckInClaims(o => o.KeyPrefix = prefix + "claims:")),
        ("AddBleGates", static (b, _, _) => b.AddBleGates()),
    ];

    public static TheoryData<int[]> FourVerbOrders()
    {
        var data = new TheoryData<int[]>();
        foreach (var order in Permutations([0, 1, 2, 3]))
        {
            data.Add(order);
        }

        return data;
    }

    [Fact]
    public void Every_order_of_the_verbs_gives_the_same_container()
    {
        string[]? first = null;
        var orders = 0;
        foreach (var order in Permutations([0, 1, 2, 3, 4, 5]))
        {
            var services = new ServiceCollection();
            var builder = services.AddEventKit();
            foreach (var verb in order)
            {
                Verbs[verb].Apply(builder, "Host=127.0.0.1;Database=x", "order:");
            }

            var shape = Shape(services);
            first ??= shape;
            Assert.True(first.SequenceEqual(shape), $"Order {string.Join(", ", order.Select(v => Verbs[v].Name))} gives another container:\n{Difference(first, shape)}");
            Assert.Equal("MigrationHostedService", services.First(d => d.ServiceType == typeof(IHostedService)).ImplementationType?.Name);
            orders++;
        }

        Assert.Equal(720, orders);
    }

    [Fact]
    public void Repeating_a_verb_adds_nothing()
    {
        var services = new ServiceCollection();
        var builder = services.AddEventKit();
        foreach (var (_, apply) in Verbs)
        {
            apply(builder, "Host=127.0.0.1;Database=x", "order:");
        }

        var once = Shape(services);
        foreach (var (_, apply) in Verbs)
        {
            apply(builder, "Host=127.0.0.1;Database=x", "order:");
        }

        services.AddEventKit();
        var twice = Shape(services);

        // Only the callers' own Configure delegates are added again (one IConfigureOptions per call, as Microsoft's verbs do).
        Assert.Equal(once.Where(s => !s.Contains("IConfigureOptions", StringComparison.Ordinal)), twice.Where(s => !s.Contains("IConfigureOptions", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(FourVerbOrders))]
    public async Task A_host_starts_on_an_empty_database_in_any_order(int[] order)
    {
        var database = new PostgresFixture();
        await database.InitializeAsync();
        try
        {
            await StartOnEmptyDatabaseAsync(order, database);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task StartOnEmptyDatabaseAsync(int[] order, PostgresFixture database)
    {
        var logs = new ListLogger { MinimumLevel = LogLevel.Warning };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs);
        var eventKit = builder.Services.AddEventKit(o => o.Security.CredentialPepper = ApiHost.Pepper);
        var prefix = $"order-{Guid.NewGuid():N}:";
        eventKit.AddRedis(o => o.Configuration = TestServers.Redis);
        builder.Services.Configure<BleKeyEncryptionOptions>(o => o.BleKeyEncryptionKey = ApiHost.BleKey);
        foreach (var verb in order)
        {
            Verbs[verb].Apply(eventKit, database.ConnectionString, prefix);
        }

        await using var app = builder.Build();
        app.MapEventKitApi();
        await app.StartAsync();
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiHost.AdminKey);
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
        await app.StopAsync();
    }

    private static string[] Shape(IServiceCollection services)
        => [.. services.Select(Describe).Order(StringComparer.Ordinal)];

    private static string Describe(ServiceDescriptor d)
    {
        var implementation = d.IsKeyedService
            ? d.KeyedImplementationType?.FullName ?? d.KeyedImplementationInstance?.GetType().FullName ?? Method(d.KeyedImplementationFactory?.Method)
            : d.ImplementationType?.FullName ?? d.ImplementationInstance?.GetType().FullName ?? Method(d.ImplementationFactory?.Method);
        return $"{d.ServiceType.FullName} [{d.ServiceKey}] {d.Lifetime} => {implementation}";
    }

    private static string Method(System.Reflection.MethodInfo? method) => method is null ? "?" : $"{method.DeclaringType?.FullName}.{method.Name}";

    private static string Difference(string[] a, string[] b)
        => string.Join("\n", a.Except(b).Select(s => "- " + s).Concat(b.Except(a).Select(s => "+ " + s)));

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
