using Npgsql;

namespace EventKit.Testing.Tests;

internal static class NpgsqlConnectionExtensions
{
    public static async Task<NpgsqlConnection> OpenAsyncAndReturn(this NpgsqlConnection connection)
    {
        await connection.OpenAsync();
        return connection;
    }
}
