using System.CommandLine;
using KpiStream.Processor.Cli;

var root = new RootCommand("KpiStream: customer-outcome KPIs and SLOs from Kafka events.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    KafkaCommand.Create(),
    AlertsCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line per mistake and a pointer to the help, rather than the whole help text.
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine($"See '{string.Join(' ', parse.CommandResult.Command.Name == root.Name ? ["kpistream"] : new[] { "kpistream", parse.CommandResult.Command.Name })} --help' for the options.");
    return CommandFailure.UsageExitCode;
}

// System.CommandLine ends the process with 143 if a command has not returned 2 s after SIGTERM; a
// graceful stop (last commit, leaving the group) can take longer on a loaded machine, and the host
// bounds it itself (HostOptions.ShutdownTimeout, 30 s).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45), EnableDefaultExceptionHandler = false };
try
{
    return await parse.InvokeAsync(invocation);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    return CommandFailure.Report(e, Console.Error);
}
