namespace EventKit.Monitoring.Tests;

/// <summary>
/// Classes that read Npgsql's process-wide meter, or create data sources that publish on it, run one at a time: a
/// listener sees every data source in the process, so a real pool opened by one test was summed into another's figures.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NpgsqlMetersCollection
{
    public const string Name = "Npgsql meters";
}
