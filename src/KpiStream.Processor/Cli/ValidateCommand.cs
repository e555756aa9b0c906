using System.CommandLine;
using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream validate`: checks a journeys file without starting anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var command = new Command("validate", "Validate a journeys/SLO specification and exit: 0 when valid, 1 when not.") { config };
        command.SetAction(parse =>
        {
            var path = ConfigPath.Resolve(parse.GetValue(config)!);
            try
            {
                var catalog = JourneysFile.Load(path);
                Console.Out.WriteLine($"{path}: valid, {catalog.Journeys.Count} journeys ({string.Join(", ", catalog.Journeys.Select(j => $"{j.Name}: {j.Slos.Length} SLOs"))})");
                return 0;
            }
            catch (ConfigurationException e)
            {
                foreach (var error in e.Errors)
                {
                    Console.Error.WriteLine(error);
                }

                Console.Error.WriteLine($"{path}: invalid, {e.Errors.Count} error(s)");
                return 1;
            }
        });
        return command;
    }
}
