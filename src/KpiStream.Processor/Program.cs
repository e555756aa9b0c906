using System.CommandLine;
using KpiStream.Processor.Cli;

var root = new RootCommand("KpiStream: customer-outcome KPIs and SLOs from Kafka events.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    KafkaCommand.Create(),
};

// System.CommandLine ends the process with 143 if a command has not returned 2 s after SIGTERM; a
// graceful stop (last commit, leaving the group) can take longer on a loaded machine, and the host
// bounds it itself (HostOptions.ShutdownTimeout, 30 s).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) };
return await root.Parse(args).InvokeAsync(invocation);
