using System.CommandLine;
using KpiStream.Processor.Cli;

var root = new RootCommand("KpiStream: customer-outcome KPIs and SLOs from Kafka events.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    KafkaCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
