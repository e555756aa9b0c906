using System.CommandLine;
using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<string> Config() => new("--config")
    {
        Description = "Journeys and SLOs specification (YAML).",
        DefaultValueFactory = _ => "config/journeys.yaml",
    };

    public static Option<int> Brokers() => new("--brokers")
    {
        Description = "Brokers of the embedded development cluster.",
        DefaultValueFactory = _ => 1,
    };

    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DurationText.TryParse(text, out var duration))
            {
                return duration;
            }

            result.AddError($"{name}: expected {DurationText.Expected}, got '{text}'.");
            return null;
        },
    };
}
