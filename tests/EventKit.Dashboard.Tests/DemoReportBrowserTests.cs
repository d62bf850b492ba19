using System.Globalization;
using EventKit.LoadTest;
using Microsoft.Playwright;

namespace EventKit.Dashboard.Tests;

/// <summary>
/// The demo's HTML report, rendered from a small fixture result (not a whole demo run) and opened from the file system in
/// Debian's chromium: its figures, its verification line and its two per-second SVG charts (requests, and latency p50/p95/p99).
/// </summary>
public sealed class DemoReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Report_shows_the_figures_and_a_chart_point_per_second()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./eventkit test installs it (apt-get install chromium).");
        (string, string)[] figures =
        [
            ("mode", "demo, 32 connections, 5 s"),
            ("check-ins per second", "1,234"),
            ("latency p50 / p95 / p99", "1.20 / 3.40 / 9.80 ms"),
            ("unknown <credential> (404)", "7"),
        ];
        SecondSample[] seconds =
        [
            new(0, 900, 2.5, 6, 9), new(1, 1_300, 1.5, 3, 4), new(2, 1_250, 1.75, 4, 12), new(3, 1_400, 1.25, 2, 3), new(4, 1_320, 4.5, 8, 10),
        ];
        var path = Path.Combine(Path.GetTempPath(), $"eventkit-report-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(path, HtmlReport.Render("EventKit demo report", figures, seconds, verified: true));
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
            var page = await browser.NewPageAsync();
            await page.GotoAsync(new Uri(path).AbsoluteUri);

            await Assertions.Expect(page).ToHaveTitleAsync("EventKit demo report");
            await Assertions.Expect(page.Locator("#verification")).ToHaveAttributeAsync("data-verified", "true");
            await Assertions.Expect(page.Locator("#figures tbody tr")).ToHaveCountAsync(figures.Length);
            foreach (var (name, value) in figures)
            {
                // Names with markup characters are encoded, not interpreted.
                var row = page.Locator("#figures tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = name, Exact = true }) });
                await Assertions.Expect(row.Locator("td")).ToHaveTextAsync(value);
            }

            var rate = page.Locator("#chart-rate svg");
            Assert.Equal(seconds.Length.ToString(CultureInfo.InvariantCulture), await rate.GetAttributeAsync("data-points"));
            Assert.Equal("1400", await rate.GetAttributeAsync("data-max"));
            var points = (await rate.Locator("polyline").GetAttributeAsync("points"))!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(seconds.Length, points.Length);

            // The highest second is drawn highest (the smallest y).
            var ys = points.Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(3, Array.IndexOf(ys, ys.Min()));
            // Latency over time: one line per percentile, a point per second each, p99 never drawn below p50.
            var latency = page.Locator("#chart-latency svg[role=img]");
            Assert.Equal("12", await latency.GetAttributeAsync("data-max"));
            await Assertions.Expect(page.Locator("#chart-latency figcaption")).ToHaveTextAsync("Latency percentiles per second (ms): 5 seconds, max 12");
            await Assertions.Expect(page.Locator("#chart-latency .legend li")).ToHaveTextAsync(["p50", "p95", "p99"]);
            double[] Ys(string points) => points.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
            var p50 = Ys((await latency.Locator("polyline[data-series=p50]").GetAttributeAsync("points"))!);
            var p99 = Ys((await latency.Locator("polyline[data-series=p99]").GetAttributeAsync("points"))!);
            Assert.Equal(seconds.Length, p50.Length);
            Assert.Equal(seconds.Length, p99.Length);
            Assert.All(Enumerable.Range(0, seconds.Length), i => Assert.True(p99[i] < p50[i], $"second {i}: p99 drawn at y {p99[i]}, p50 at {p50[i]}"));

            // The slowest p99 (second 2) is the highest point of its line.
            Assert.Equal(2, Array.IndexOf(p99, p99.Min()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
