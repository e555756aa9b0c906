using KpiStream.Processor.Configuration;
using KpiStream.Processor.Hosting;
using KpiStream.Streaming.Provisioning;

namespace KpiStream.Processor.Cli;

/// <summary>
/// How a command that cannot go on tells the user: one line on standard error naming the option,
/// the value and what was expected, never a stack trace, and an exit code: 2 for a mistake in the
/// command line, the environment or a file; 1 for what went wrong in the world outside.
/// </summary>
internal static class CommandFailure
{
    public const int UsageExitCode = 2;
    public const int FailureExitCode = 1;

    public static int Report(Exception exception, TextWriter error)
    {
        switch (exception)
        {
            case ConfigurationException configuration:
                foreach (var line in configuration.Errors)
                {
                    error.WriteLine(line);
                }

                return UsageExitCode;
            case ArgumentException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException:
                error.WriteLine(exception.Message);
                return UsageExitCode;
            case StartupException or ProvisioningException:
                error.WriteLine(exception.Message);
                return FailureExitCode;
            default:
                error.WriteLine($"kpistream failed: {exception.GetType().Name}: {exception.Message}");
                return FailureExitCode;
        }
    }
}
