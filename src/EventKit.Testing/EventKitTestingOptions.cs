using EventKit.Internal;

namespace EventKit.Testing;

/// <summary>
/// Where <see cref="EventKitPostgresFixture"/> and <see cref="EventKitRedisFixture"/> get their servers. Every setting left
/// unset falls back to an environment variable, so the same test suite runs against local servers in CI and against
/// containers on a developer's machine.
/// </summary>
public sealed class EventKitTestingOptions
{
    /// <summary>Set to <c>1</c> or <c>true</c> to ask for containers when <see cref="UseContainers"/> is unset.</summary>
    public const string UseContainersVariable = "EVENTKIT_TEST_DOCKER";

    /// <summary>The PostgreSQL connection string used when no container is used and <see cref="PostgresConnectionString"/> is unset.</summary>
    public const string PostgresVariable = "EVENTKIT_POSTGRES";

    /// <summary>The Redis configuration string used when no container is used and <see cref="RedisConfiguration"/> is unset.</summary>
    public const string RedisVariable = "EVENTKIT_REDIS";

    /// <summary>The PostgreSQL image used when <see cref="PostgresImage"/> is unset.</summary>
    public const string PostgresImageVariable = "EVENTKIT_POSTGRES_IMAGE";

    /// <summary>The Redis image used when <see cref="RedisImage"/> is unset.</summary>
    public const string RedisImageVariable = "EVENTKIT_REDIS_IMAGE";

    /// <summary>The image <c>./eventkit images</c> builds for PostgreSQL 15.</summary>
    public const string DefaultPostgresImage = "eventkit/postgres:15";

    /// <summary>The image <c>./eventkit images</c> builds for Redis 7.</summary>
    public const string DefaultRedisImage = "eventkit/redis:7";

    /// <summary>Whether to start the servers as containers (Testcontainers) when a Docker engine is reachable.</summary>
    /// <remarks>
    /// Default <see langword="null"/>: containers when <c>EVENTKIT_TEST_DOCKER</c> is <c>1</c> or <c>true</c>. When containers are
    /// asked for but no engine answers, the fixtures use the environment's servers; <see cref="EventKitPostgresFixture.Source"/>
    /// says which one a fixture got.
    /// </remarks>
    public bool? UseContainers { get; set; }

    /// <summary>The PostgreSQL image for containers; any image that honours <c>POSTGRES_USER</c>, <c>POSTGRES_PASSWORD</c>, <c>POSTGRES_DB</c> and has <c>pg_isready</c>.</summary>
    /// <remarks>Default <see langword="null"/>: <c>EVENTKIT_POSTGRES_IMAGE</c>, else <c>eventkit/postgres:15</c>. <c>postgres:15</c> works where Docker Hub is reachable.</remarks>
    public string? PostgresImage { get; set; }

    /// <summary>The Redis image for containers; any image with <c>redis-server</c> as its command and <c>redis-cli</c>.</summary>
    /// <remarks>Default <see langword="null"/>: <c>EVENTKIT_REDIS_IMAGE</c>, else <c>eventkit/redis:7</c>. <c>redis:7</c> works where Docker Hub is reachable.</remarks>
    public string? RedisImage { get; set; }

    /// <summary>The PostgreSQL server to use without containers; its user must be allowed to create databases.</summary>
    /// <remarks>Default <see langword="null"/>: <c>EVENTKIT_POSTGRES</c>. The fixture connects to its <c>postgres</c> database to create and drop its own.</remarks>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The Redis server to use without containers (a StackExchange.Redis configuration string).</summary>
    /// <remarks>Default <see langword="null"/>: <c>EVENTKIT_REDIS</c>.</remarks>
    public string? RedisConfiguration { get; set; }

    /// <summary>Whether <see cref="EventKitPostgresFixture"/> applies EventKit.Storage's migrations to its new database.</summary>
    /// <remarks>Default <see langword="true"/>. Turn it off to test your own migration step.</remarks>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>How long to wait for a server to accept a connection.</summary>
    /// <remarks>Default 5 s; 1 s to 5 min.</remarks>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a container may take to start and become ready.</summary>
    /// <remarks>Default 2 min; 10 s to 30 min.</remarks>
    public TimeSpan ContainerStartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether Testcontainers' resource reaper (the <c>testcontainers/ryuk</c> image) removes the containers if the test process dies.</summary>
    /// <remarks>
    /// Default <see langword="false"/>: the reaper's image has to come from a registry. Without it the fixtures remove their
    /// containers when the process exits; after a crash, <c>docker rm -f $(docker ps -aq --filter label=org.eventkit.testing)</c>.
    /// </remarks>
    public bool UseResourceReaper { get; set; }

    internal void Validate()
    {
        var failures = new List<string>();
        OptionRange.Check(failures, nameof(ConnectTimeout), ConnectTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        OptionRange.Check(failures, nameof(ContainerStartTimeout), ContainerStartTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));
        if (PostgresImage is not null && string.IsNullOrWhiteSpace(PostgresImage))
        {
            failures.Add($"{nameof(PostgresImage)} must be an image name (e.g. {DefaultPostgresImage}) or null.");
        }

        if (RedisImage is not null && string.IsNullOrWhiteSpace(RedisImage))
        {
            failures.Add($"{nameof(RedisImage)} must be an image name (e.g. {DefaultRedisImage}) or null.");
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException("EventKitTestingOptions: " + string.Join(" ", failures));
        }
    }

    internal bool WantsContainers => UseContainers ?? IsSet(System.Environment.GetEnvironmentVariable(UseContainersVariable));

    internal string ResolvedPostgresImage => PostgresImage ?? Read(PostgresImageVariable) ?? DefaultPostgresImage;

    internal string ResolvedRedisImage => RedisImage ?? Read(RedisImageVariable) ?? DefaultRedisImage;

    internal string? ResolvedPostgresConnectionString => NullIfBlank(PostgresConnectionString) ?? Read(PostgresVariable);

    internal string? ResolvedRedisConfiguration => NullIfBlank(RedisConfiguration) ?? Read(RedisVariable);

    private static bool IsSet(string? value)
        => value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string? Read(string variable) => NullIfBlank(System.Environment.GetEnvironmentVariable(variable));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
