using System.Globalization;
using System.Net;
using System.Text;

namespace EventKit.LoadTest;

/// <summary>
/// The demo/load-test report as one self-contained HTML page: the figures table and two inline SVG charts (requests
/// per second and mean latency per second). No script, no external resource: it opens from the file system.
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
            .Append("</style>\n</head>\n<body>\n<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append("<p id=\"verification\" class=\"").Append(verified ? "ok" : "bad").Append("\" data-verified=\"").Append(verified ? "true" : "false").Append("\">")
            .Append(verified ? "Verified: every admission has its row in PostgreSQL." : "Verification FAILED.")
            .Append("</p>\n<table id=\"figures\">\n<thead><tr><th scope=\"col\">metric</th><th scope=\"col\">value</th></tr></thead>\n<tbody>\n");
        foreach (var (name, value) in figures)
        {
            html.Append("<tr data-metric=\"").Append(Encode(name)).Append("\"><th scope=\"row\">").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        Chart(html, "rate", "Requests per second", seconds.Select(s => (double)s.Requests).ToArray());
        Chart(html, "latency", "Mean latency per second (ms)", seconds.Select(s => s.MeanLatencyMs).ToArray());
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Chart(StringBuilder html, string id, string title, double[] values)
    {
        var max = values.Length == 0 ? 0 : values.Max();
        var scale = max <= 0 ? 1 : max * 1.1;
        html.Append(CultureInfo.InvariantCulture, $"<figure id=\"chart-{id}\"><figcaption>{Encode(title)}: {values.Length} seconds, max {Format(max)}</figcaption>\n")
            .Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{Encode(title)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" data-points=\"{values.Length}\" data-max=\"{Format(max)}\">\n")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height - 1}\" x2=\"{Width}\" y2=\"{Height - 1}\" stroke=\"#c9ced6\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" font-size=\"12\" fill=\"#4a5260\">{Format(scale)}</text>\n")
            .Append("<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"");
        for (var i = 0; i < values.Length; i++)
        {
            var x = values.Length == 1 ? 0 : i * (double)Width / (values.Length - 1);
            var y = Height - 2 - (values[i] / scale * (Height - 20));
            html.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }

        html.Append("\"/>\n</svg></figure>\n");
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
