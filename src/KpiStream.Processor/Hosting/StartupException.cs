namespace KpiStream.Processor.Hosting;

/// <summary>
/// Start-up could not go on for a reason outside the command line (a broker that cannot be
/// reached, topics that disagree with the options, a port in use): reported in one line, exit 1.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
