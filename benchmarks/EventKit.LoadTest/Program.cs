using System.Globalization;
using EventKit.LoadTest;
using Spectre.Console;

// The demo (`./eventkit demo`) and the load test (`./eventkit loadtest`). See LoadOptions.Usage.
LoadOptions options;
try
{
    if (args.Length > 0 && args[0] == "ceiling")
    {
        // Child-process mode: the plain Kestrel ceiling, in a process of its own like the host under test.
        var port = args.Length > 2 && args[1] == "--port" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5090;
        await using var ceiling = await CeilingServer.StartAsync(port);
        Console.WriteLine($"ceiling listening on {ceiling.BaseAddress}");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    return await new LoadRun(options).RunAsync(cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
    return 130;
}
catch (InvalidOperationException e)
{
    AnsiConsole.MarkupLine("[red]Failed:[/] " + Markup.Escape(e.Message));
    return 1;
}
