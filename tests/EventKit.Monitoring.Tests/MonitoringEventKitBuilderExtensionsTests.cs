using EventKit.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Tests;

public class MonitoringEventKitBuilderExtensionsTests
{
    [Fact]
    public void Registration_is_idempotent()
    {
        var services = new ServiceCollection();
        services.AddEventKit().AddMonitoring().AddMonitoring(o => o.HistoryLimit = 50);
        var once = new ServiceCollection();
        once.AddEventKit().AddMonitoring(o => o.HistoryLimit = 50);
        Assert.Equal(once.Count, services.Count); // the second call adds only its Configure
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MonitoringService));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IAlertSink)));
    }

    [Fact]
    public void Built_in_rules_are_loaded_and_a_rule_of_the_same_name_replaces_one()
    {
        using var provider = Build(o => o.Rules.Add(new AlertRuleOptions { Name = "api_p95_high", Instrument = "http.server.request.duration", Expression = AlertExpression.Quantile, Threshold = 0.25 }));
        var alerts = provider.GetRequiredService<IAlertManager>().GetAlerts();
        Assert.Contains(alerts, a => a.Name == "postgres_unreachable" && a.Severity == AlertSeverity.Critical);
        Assert.Contains(alerts, a => a.Name == "redis_unhealthy");
        Assert.Equal(0.25, Assert.Single(alerts, a => a.Name == "api_p95_high").Threshold);
    }

    [Fact]
    public void Invalid_options_fail_with_the_setting_and_its_range()
    {
        using var provider = Build(o =>
        {
            o.MaxSeriesPerInstrument = 0;
            o.Rules.Add(new AlertRuleOptions { Name = "x", Instrument = "y", Window = TimeSpan.FromHours(1) });
            o.Rules.Add(new AlertRuleOptions { Name = "x", Instrument = "y" });
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MonitoringOptions>>().Value);
        Assert.Contains("EventKit:Monitoring:MaxSeriesPerInstrument must be between 1 and 10000 (was 0).", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("EventKit:Monitoring:Rules:0:Window must be between 00:00:01 and 00:15:00", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("EventKit:Monitoring:Rules:1:Name must be unique", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_with_monitoring_starts_ticks_and_stops()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventKit().AddMonitoring();
        using var host = builder.Build();
        await host.StartAsync();
        var monitor = host.Services.GetRequiredService<IMetricsMonitor>();
        await EventKit.Testing.Eventually.TrueAsync(
            () => monitor.GetSnapshot().Series.Any(s => s.Instrument == "container.memory.limit.utilization" && s.OneMinute.Last is > 0 and <= 1),
            "memory utilisation (0..1 of the limit) is monitored",
            TimeSpan.FromSeconds(30));
        Assert.Contains(monitor.GetSnapshot().Series, s => s.Instrument.StartsWith("dotnet.", StringComparison.Ordinal));
        await host.StopAsync();
    }

    private static ServiceProvider Build(Action<MonitoringOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit().AddMonitoring(configure);
        return services.BuildServiceProvider();
    }
}
