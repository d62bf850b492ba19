using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventKit.Storage.Tests.Internal;

public sealed class MigratorTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Concurrent_migrators_apply_each_version_once_and_a_second_run_is_a_no_op()
    {
        var first = new Migrator(fixture.DataSource, NullLogger.Instance, TimeProvider.System).ApplyAsync(CancellationToken.None);
        var second = new Migrator(fixture.DataSource, NullLogger.Instance, TimeProvider.System).ApplyAsync(CancellationToken.None);
        var results = await Task.WhenAll(first, second);

        // Between them they applied every version exactly once.
        var applied = results[0].Concat(results[1]).Order().ToArray();
        Assert.Equal(Migrator.Migrations.Select(m => m.Version), applied);

        var again = await PostgresStorageMigrations.ApplyAsync(fixture.DataSource);
        Assert.Empty(again);

        await using var count = fixture.DataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)Migrator.Migrations.Count, (long)(await count.ExecuteScalarAsync())!);

        // Every index the concurrent migration built is valid.
        await using var invalid = fixture.DataSource.CreateCommand("SELECT count(*) FROM pg_index WHERE NOT indisvalid");
        Assert.Equal(0L, (long)(await invalid.ExecuteScalarAsync())!);

        await using var indexes = fixture.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_indexes WHERE indexname IN ('participants_active_token_idx', 'participants_inactive_token_idx', 'participants_search_idx', " +
            "'attendance_records_participant_idx', 'attendance_records_gate_idx', 'attendance_records_method_idx', 'attendance_records_event_gate_idx')");
        Assert.Equal(7L, (long)(await indexes.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Rebuilds_an_index_an_interrupted_concurrent_build_left_invalid()
    {
        await using var db = new PostgresFixture();
        await db.InitializeAsync();
        await PostgresStorageMigrations.ApplyAsync(db.DataSource);

        // What a CREATE INDEX CONCURRENTLY cut short leaves behind: the index exists but is invalid,
        // and the migration is not recorded. (Marking it invalid by hand needs a superuser, as the test server's user is.)
        await using (var breakIt = db.DataSource.CreateCommand(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'participants_search_idx'::regclass; DELETE FROM schema_migrations WHERE version = 2"))
        {
            await breakIt.ExecuteNonQueryAsync();
        }

        Assert.Equal([2], await PostgresStorageMigrations.ApplyAsync(db.DataSource));

        await using var valid = db.DataSource.CreateCommand("SELECT indisvalid FROM pg_index WHERE indexrelid = 'participants_search_idx'::regclass");
        Assert.True((bool)(await valid.ExecuteScalarAsync())!);
    }

    [Fact]
    public void Splits_a_script_into_statements_without_comments()
    {
        var statements = Migrator.SplitStatements("-- comment\nCREATE TABLE a (\n  x int\n);\n\n-- another\nCREATE INDEX b ON a (x);\n");
        Assert.Equal(["CREATE TABLE a (\n  x int\n);", "CREATE INDEX b ON a (x);"], statements.Select(s => s.ReplaceLineEndings("\n")));
    }

    [Fact]
    public void Embedded_migrations_are_numbered_in_increasing_order()
    {
        // Numbers are assigned to branches ahead of their merges, so a branch may lack a number another branch holds.
        var versions = Migrator.Migrations.Select(m => m.Version).ToArray();
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.False(Migrator.Migrations[1].InTransaction);
    }
}
