namespace EventKit.Testing;

/// <summary>Where the test servers are: the variables <c>./eventkit services start</c> prints, or its defaults.</summary>
public static class TestServers
{
    /// <summary>The command that starts both servers.</summary>
    public const string StartCommand = "./eventkit services start";

    /// <summary>The default of <c>./eventkit services start</c>, used when the variable is unset.</summary>
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=eventkit;Password=eventkit;Database=eventkit";

    /// <summary>The default of <c>./eventkit services start</c>, used when the variable is unset.</summary>
    public const string DefaultRedis = "127.0.0.1:56379";

    /// <summary>The PostgreSQL connection string from <c>EVENTKIT_POSTGRES</c>.</summary>
    public static string Postgres => Read("EVENTKIT_POSTGRES", DefaultPostgres);

    /// <summary>The Redis endpoint from <c>EVENTKIT_REDIS</c>.</summary>
    public static string Redis => Read("EVENTKIT_REDIS", DefaultRedis);

    private static string Read(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? fallback : value;
    }

    internal static InvalidOperationException Unreachable(string server, string where, Exception inner)
        => new($"{server} is not reachable at {where} ({inner.GetType().Name}: {inner.Message}). " +
               $"Start the local servers with: {StartCommand}   (then run the tests again; the variables it prints say where they listen).", inner);
}
