using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>
/// Bounds on a journeys file, checked on YamlDotNet's event stream before it builds its document:
/// the document model is built recursively, and a file nested 100,000 levels deep overflowed the
/// stack and killed the process. A real journeys file is a few kilobytes, nested about eight levels.
/// </summary>
public static class YamlLimits
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 64;

    /// <summary>What exceeds a bound, as an error line; null when the file is within them (or is not YAML, which loading reports).</summary>
    public static string? Check(string yaml, string fileName)
    {
        if (yaml.Length > MaxBytes)
        {
            return $"{fileName}: {yaml.Length} characters; expected a journeys file of at most {MaxBytes} bytes";
        }

        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return $"{fileName}:{parser.Current.Start.Line}:{parser.Current.Start.Column}: nested more than {MaxDepth} levels deep; expected a journeys file";
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Loading reports it, with its position.
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            return $"{fileName}:{last.Line}:{last.Column}: not valid YAML after this point: {e.Message}";
        }

        return null;
    }
}
