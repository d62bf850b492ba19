using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Tests.Conformance;

/// <summary>The conformance suite against Microsoft's <c>DefaultHybridCache</c> with <c>Microsoft.Extensions.Caching.StackExchangeRedis</c> as L2.</summary>
public sealed class MicrosoftHybridCacheConformanceTests(RedisFixture redis) : HybridCacheConformanceTests(redis), IClassFixture<RedisFixture>
{
    protected override CacheImplementation Implementation => CacheImplementation.Microsoft;

    protected override void AddCache(IServiceCollection services) =>
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = Redis.Configuration;
            o.InstanceName = Scope;
        });

    // RedisCache keeps a value in a hash: the payload is its "data" field.
    protected override async Task<byte[]?> ReadRawAsync(string key) =>
        await Redis.Connection.GetDatabase().HashGetAsync(Scope + key, "data");
}
