using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Core.Tests.Hosting;

public sealed class EventKitBuilderTests
{
    [Fact]
    public void Returns_a_builder_over_the_same_services()
    {
        var services = new ServiceCollection();
        var builder = services.AddEventKit();
        Assert.Same(services, builder.Services);
    }

    [Fact]
    public void Registration_is_idempotent()
    {
        var services = new ServiceCollection();
        services.AddEventKit();
        var count = services.Count;
        services.AddEventKit();
        services.AddEventKit(o => o.EventId = 3);

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<EventKitOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        // Only the configure action is new.
        Assert.Equal(count + 1, services.Count);
    }

    [Fact]
    public void Options_are_configured_and_defaults_match_the_docs()
    {
        using var provider = new ServiceCollection().AddEventKit(o => o.EventId = 42).Services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<EventKitOptions>>().Value;
        Assert.Equal(42, options.EventId);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ReEntryWindow);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxBackdate);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxFutureSkew);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Configure_with_service_provider_sees_other_services()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new EventSelection(9));
        services.AddEventKit((sp, o) => o.EventId = sp.GetRequiredService<EventSelection>().Id);
        using var provider = services.BuildServiceProvider();
        Assert.Equal(9, provider.GetRequiredService<IOptions<EventKitOptions>>().Value.EventId);
    }

    [Theory]
    [InlineData("EventKit:EventId", nameof(EventKitOptions.EventId))]
    [InlineData("EventKit:ReEntryWindow", nameof(EventKitOptions.ReEntryWindow))]
    [InlineData("EventKit:MaxFutureSkew", nameof(EventKitOptions.MaxFutureSkew))]
    [InlineData("EventKit:NodeId", nameof(EventKitOptions.NodeId))]
    public void Invalid_options_fail_at_start_naming_the_setting(string setting, string property)
    {
        var services = new ServiceCollection();
        services.AddEventKit(o =>
        {
            switch (property)
            {
                case nameof(EventKitOptions.EventId): o.EventId = 0; break;
                case nameof(EventKitOptions.ReEntryWindow): o.ReEntryWindow = TimeSpan.FromSeconds(-1); break;
                case nameof(EventKitOptions.MaxFutureSkew): o.MaxFutureSkew = TimeSpan.FromDays(2); break;
                case nameof(EventKitOptions.NodeId): o.NodeId = "node with spaces"; break;
            }
        });
        using var provider = services.BuildServiceProvider();

        // ValidateOnStart runs this validator when the host starts; resolving the options runs the same check.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventKitOptions>>().Value);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddEventKit());
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddEventKit((Action<EventKitOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddEventKit((Action<IServiceProvider, EventKitOptions>)null!));
    }

    private sealed record EventSelection(long Id);
}

public sealed class EventKitHostStartTests
{
    [Fact]
    public async Task Host_start_fails_on_invalid_options()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventKit(o => o.IdempotencyWindow = TimeSpan.Zero);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("EventKit:IdempotencyWindow must be between", error.Message, StringComparison.Ordinal);
    }
}
