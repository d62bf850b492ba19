using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.AspNetCore;
using EventKit.Monitoring;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace EventKit.Dashboard.Tests;

/// <summary>
/// An EventKit host with monitoring on a real Kestrel port and its own Redis, and the dashboard in Debian's chromium:
/// tiles match <c>/eventkit/metrics</c>, the gate's tile counts its admissions and shows it closed, the node list shows the
/// single-node state, charts gain points, stopping Redis raises the Redis alert (and its recovery
/// action) on the page, and starting it again resolves the alert.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string AdminKey = "dashboard-test-admin-key-0123456789";
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan RedisFor = TimeSpan.FromSeconds(3);
    private readonly PostgresFixture _postgres = new();
    private DedicatedRedisServer _redis = null!;
    private WebApplication _app = null!;
    private HttpClient _admin = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _redis = await DedicatedRedisServer.StartNewAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services
            .AddEventKit(o => o.Security.CredentialPepper = "dashboard-test-pepper-0123456789abcdef")
            .AddPostgresStorage(o => o.ConnectionString = _postgres.ConnectionString)
            .AddRedis(o => o.Configuration = _redis.Configuration)
            .AddHybridCaching(o => o.L2Timeout = TimeSpan.FromSeconds(1))
            .AddCachedDirectories()
            .AddMonitoring(o =>
            {
                o.HealthProbeInterval = TimeSpan.FromSeconds(1);
                o.Rules.Add(new AlertRuleOptions
                {
                    Name = "redis_unhealthy", Summary = "The Redis health check fails.",
                    Expression = AlertExpression.Gauge, Instrument = "eventkit.health.status", Tags = new() { ["check"] = "redis" },
                    Window = TimeSpan.FromSeconds(2), Comparison = AlertComparison.Below, Threshold = 1, For = RedisFor,
                    Severity = AlertSeverity.Critical, Actions = [RecoveryActionNames.ScaleOut],
                });
            })
            .AddHttpApi(o =>
            {
                o.AdminKey = AdminKey;

                // This test watches the dashboard, not the scanner keys (ScannerKeyTests covers those).
                o.RequireScannerKeys = false;
                o.ConfirmUnauthenticatedCheckIns = true;
            });
        _app = builder.Build();
        _app.MapEventKitApi();
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        _admin = new HttpClient { BaseAddress = _base };
        _admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
    }

    [Fact]
    public async Task Dashboard_shows_live_metrics_alerts_and_recovery_actions()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./eventkit test installs it (apt-get install chromium).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 1366 } });
        page.SetDefaultTimeout(60_000);

        // The key is typed once, kept in session storage, never put in the URL.
        await page.GotoAsync(new Uri(_base, "/eventkit/dashboard").ToString());
        await page.GetByLabel("Admin key (kept in this tab's session storage only)").FillAsync(AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 2");
        Assert.DoesNotContain(AdminKey, page.Url, StringComparison.Ordinal);
        Assert.Equal(AdminKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('eventkit.adminKey')"));
        var pointsBefore = int.Parse(await page.GetAttributeAsync("[data-chart=checkIns]", "data-points") ?? "0", CultureInfo.InvariantCulture);

        // Drive check-ins; the outcome tile shows them, and equals /eventkit/metrics.
        const int CheckIns = 40;
        var gate = await CreateGateAsync();
        var tokens = Enumerable.Range(0, CheckIns).Select(i => $"T{Guid.NewGuid():N}").ToArray();
        using (var import = await _admin.PostAsJsonAsync("/api/v1/participants", tokens.Select((t, i) => new { name = $"P {i}", credential = t, email = $"p{i}@example.org", status = "active" }).ToArray()))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        foreach (var token in tokens)
        {
            using var response = await _admin.PostAsJsonAsync("/api/v1/checkins", new { gateId = gate, credential = token, method = "qr" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var admitted = page.Locator("[data-tile=outcomes] dd[data-key=admitted]");
        await Assertions.Expect(admitted).ToHaveAttributeAsync("data-value", CheckIns.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        var tiles = (await GetJsonAsync("/eventkit/metrics")).GetProperty("oneMinute");
        Assert.Equal(CheckIns, tiles.GetProperty("outcomes").GetProperty("admitted").GetDouble());
        var p95 = double.Parse(await page.GetAttributeAsync("[data-tile=checkInP95]", "data-value") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(p95 > 0, "the p95 tile shows a value");
        Assert.Equal(tiles.GetProperty("checkInP95").GetDouble(), p95, 9);
        Assert.NotEqual("–", await page.Locator("[data-tile=checkInP95]").TextContentAsync());

        // The gate's tile counts its admissions, shows when it last admitted and that it is open, and equals /eventkit/metrics.
        var gateTile = page.Locator($"[data-gate='{gate}']");
        await Assertions.Expect(gateTile.Locator("dd[data-key=admitted]")).ToHaveAttributeAsync("data-value", CheckIns.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Assertions.Expect(gateTile.Locator("h2")).ToHaveTextAsync("Main (entrance)");
        await Assertions.Expect(gateTile.Locator("dd[data-key=state]")).ToHaveTextAsync("open");
        Assert.NotEqual("none in 15 min", await gateTile.Locator("dd[data-key=lastAdmissionAt]").TextContentAsync());
        var metrics = await GetJsonAsync("/eventkit/metrics");
        var gateJson = metrics.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("id").GetInt64() == gate);
        Assert.Equal(CheckIns, gateJson.GetProperty("admitted").GetDouble());
        Assert.True(gateJson.GetProperty("ratePerSecond").GetDouble() > 0, "the gate's rate is positive");
        var lastAdmission = gateJson.GetProperty("lastAdmissionAt").GetDateTimeOffset();
        Assert.InRange(lastAdmission, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(1));

        // Closing the gate shows on its tile.
        using (var close = await _admin.PatchAsJsonAsync($"/api/v1/gates/{gate}", new { open = false }))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        await Assertions.Expect(gateTile).ToHaveAttributeAsync("data-open", "false", new() { Timeout = 30_000 });
        await Assertions.Expect(gateTile.Locator("dd[data-key=state]")).ToHaveTextAsync("closed");

        // Without EventKit.Scaling this host is a single node: the node list says so, and the JSON agrees.
        await Assertions.Expect(page.Locator("#nodes-state")).ToHaveAttributeAsync("data-state", "single");
        await Assertions.Expect(page.Locator("#nodes-state")).ToContainTextAsync("Single node");
        Assert.False(metrics.GetProperty("nodes").GetProperty("scaling").GetBoolean());

        // The chart gains points as seconds pass.
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-chart=checkIns]').dataset.points) > {pointsBefore}");

        // Suggestions: next quarter's partition goes missing; "Analyse now" runs the query analyzer and lists it with its SQL.
        var now = DateTimeOffset.UtcNow;
        var next = new DateTimeOffset(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(3);
        var partition = string.Create(CultureInfo.InvariantCulture, $"attendance_records_p{next:yyyyMM}");
        await using (var drop = _postgres.DataSource.CreateCommand($"DROP TABLE {partition}"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Analyse now" }).ClickAsync();
        var suggestion = page.Locator($"tr[data-suggestion='partition_missing:{partition}']");
        await Assertions.Expect(suggestion).ToBeVisibleAsync();
        await Assertions.Expect(suggestion.Locator("code")).ToContainTextAsync($"CREATE TABLE {partition} PARTITION OF attendance_records");
        await suggestion.Locator("summary").ClickAsync();
        await Assertions.Expect(suggestion.Locator("pre")).ToContainTextAsync(string.Create(CultureInfo.InvariantCulture, $"none covers {next:yyyy-MM-dd}"));
        await Assertions.Expect(page.Locator("#suggestions-status")).ToContainTextAsync("Last analysed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard-suggestions.png"), FullPage = true });

        // Redis goes away: the Redis alert fires on the page within its For plus a margin, with its recovery action.
        await _redis.StopAsync();
        var redisAlert = page.Locator("tr[data-alert=redis_unhealthy]");
        await Assertions.Expect(redisAlert).ToHaveAttributeAsync("data-state", "Firing", new() { Timeout = (float)(RedisFor + TimeSpan.FromSeconds(30)).TotalMilliseconds });
        await Assertions.Expect(page.Locator("tr[data-action=scale_out]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-alert=scale_out_unavailable]")).ToHaveAttributeAsync("data-state", "Firing", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard-redis-down.png"), FullPage = true });

        // Redis returns: the alert resolves.
        await _redis.StartAsync();
        await Assertions.Expect(redisAlert).ToHaveAttributeAsync("data-state", "Resolved", new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard.png"), FullPage = true });
    }

    private async Task<long> CreateGateAsync()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/gates", new { name = "Main", kind = "entrance", open = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    /// <summary>A path under the repository's <c>artifacts/</c> (found from the test's folder upwards).</summary>
    private static string ArtifactPath(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventKit.sln")))
        {
            dir = dir.Parent;
        }

        var artifacts = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        return Path.Combine(artifacts, file);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}
