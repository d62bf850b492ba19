using System.Globalization;
using System.Text;

namespace EventKit.Faults.Tests;

/// <summary>Collects the scenarios' figures and rewrites <c>artifacts/faults/results.md</c> after each one.</summary>
internal static class FaultResults
{
    private static readonly SortedDictionary<string, ScenarioFigures> Rows = new(StringComparer.Ordinal);
    private static readonly DateTime Started = DateTime.UtcNow;

    /// <summary>The repository's <c>artifacts/faults</c> folder (found from the test's output folder).</summary>
    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventKit.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "faults");
        }
    }

    public static void Add(ScenarioFigures figures)
    {
        string text;
        lock (Rows)
        {
            Rows[figures.Scenario] = figures;
            var markdown = new StringBuilder();
            markdown.Append(CultureInfo.InvariantCulture, $"# Fault suite results ({(FaultRig.Long ? "long" : "short")} variant, started {Started:yyyy-MM-dd HH:mm} UTC)\n\n");
            markdown.Append("Written by tests/EventKit.Faults.Tests (docs/operations.md, \"The fault suite\").\n\n");
            markdown.Append(ScenarioFigures.Header).Append('\n');
            foreach (var row in Rows.Values)
            {
                markdown.Append(row.ToRow()).Append('\n');
            }

            text = markdown.ToString();
        }

        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "results.md"), text);
    }
}
