using System.Globalization;
using System.Net;
using System.Text;

namespace EventKit.LoadTest;

/// <summary>
/// The demo/load-test report as one self-contained HTML page: the figures table and two inline SVG charts (requests
/// per second and latency percentiles p50/p95/p99 per second). No script, no external resource: it opens from the file system.
/// </summary>
internal static class HtmlReport
{
    private const int Width = 720;
    private const int Height = 180;

    public static string Render(string title, IReadOnlyList<(string Name, string Value)> figures, IReadOnlyList<SecondSample> seconds, bool verified)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(Encode(title))
            .Append("</title>\n<style>\n")
            .Append("body { margin: 1.5rem; font: 16px/1.45 system-ui, sans-serif; color: #15181d; background: #f6f7f9; }\n")
            .Append("table { border-collapse: collapse; background: #fff; } th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #c9ced6; }\n")
            .Append("td { font-variant-numeric: tabular-nums; } figure { margin: 1rem 0; background: #fff; border: 1px solid #c9ced6; padding: .5rem; max-width: 760px; }\n")
            .Append(".ok { color: #136c2e; font-weight: 700; } .bad { color: #b3261e; font-weight: 700; }\n")
            .Append(".legend { list-style: none; display: flex; gap: 1rem; margin: .25rem 0 0; padding: 0; font-size: 14px; }\n")
            .Append("</style>\n</head>\n<body>\n<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append("<p id=\"verification\" class=\"").Append(verified ? "ok" : "bad").Append("\" data-verified=\"").Append(verified ? "true" : "false").Append("\">")
            .Append(verified ? "Verified: every admission has its row in PostgreSQL." : "Verification FAILED.")
            .Append("</p>\n<table id=\"figures\">\n<thead><tr><th scope=\"col\">metric</th><th scope=\"col\">value</th></tr></thead>\n<tbody>\n");
        foreach (var (name, value) in figures)
        {
            html.Append("<tr data-metric=\"").Append(Encode(name)).Append("\"><th scope=\"row\">").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        Chart(html, "rate", "Requests per second", [new Series("requests", "#1f5fbf", "", seconds.Select(s => (double)s.Requests).ToArray())]);
        Chart(html, "latency", "Latency percentiles per second (ms)",
        [
            new Series("p50", "#1f5fbf", "", seconds.Select(s => s.P50Ms).ToArray()),
            new Series("p95", "#a64f00", "6 3", seconds.Select(s => s.P95Ms).ToArray()),
            new Series("p99", "#b3261e", "2 3", seconds.Select(s => s.P99Ms).ToArray()),
        ]);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>One line of a chart; <paramref name="Dash"/> (an SVG dash array) tells the lines apart without colour.</summary>
    private sealed record Series(string Name, string Colour, string Dash, double[] Values);

    private static void Chart(StringBuilder html, string id, string title, Series[] series)
    {
        var points = series[0].Values.Length;
        var max = series.Max(s => s.Values.Length == 0 ? 0 : s.Values.Max());
        var scale = max <= 0 ? 1 : max * 1.1;
        html.Append(CultureInfo.InvariantCulture, $"<figure id=\"chart-{id}\"><figcaption>{Encode(title)}: {points} seconds, max {Format(max)}</figcaption>\n")
            .Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{Encode(title)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" data-points=\"{points}\" data-max=\"{Format(max)}\">\n")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height - 1}\" x2=\"{Width}\" y2=\"{Height - 1}\" stroke=\"#c9ced6\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" font-size=\"12\" fill=\"#4a5260\">{Format(scale)}</text>\n");
        foreach (var line in series)
        {
            html.Append(CultureInfo.InvariantCulture, $"<polyline data-series=\"{line.Name}\" fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\"")
                .Append(line.Dash.Length == 0 ? "" : $" stroke-dasharray=\"{line.Dash}\"")
                .Append(" points=\"");
            var values = line.Values;
            for (var i = 0; i < values.Length; i++)
            {
                var x = values.Length == 1 ? 0 : i * (double)Width / (values.Length - 1);
                var y = Height - 2 - (values[i] / scale * (Height - 20));
                html.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
            }

            html.Append("\"/>\n");
        }

        html.Append("</svg>");
        if (series.Length > 1)
        {
            html.Append("<ul class=\"legend\">");
            foreach (var line in series)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><svg width=\"24\" height=\"8\" aria-hidden=\"true\"><line x1=\"0\" y1=\"4\" x2=\"24\" y2=\"4\" stroke=\"{line.Colour}\" stroke-width=\"2\"")
                    .Append(line.Dash.Length == 0 ? "" : $" stroke-dasharray=\"{line.Dash}\"")
                    .Append("/></svg> ").Append(Encode(line.Name)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</figure>\n");
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
