using KpiStream.Core.Journeys;
using KpiStream.Processor.Configuration.Journeys;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KpiStream.Processor.Configuration;

/// <summary>
/// Loads the journeys specification (YAML), the source of truth for journeys, their SLOs and
/// alerts: read into the versioned spec (<see cref="JourneysSpecReader"/>), checked across values
/// (<see cref="JourneysSpecValidator"/>), then mapped to the Core (<see cref="JourneysSpecMapper"/>).
/// Every problem is reported at once, with file, line, column, field path and expectation.
/// </summary>
public static class JourneysFile
{
    public static JourneyCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException([$"{path}: file not found"]);
        }

        if (new FileInfo(path).Length is var size && size > YamlLimits.MaxBytes)
        {
            throw new ConfigurationException([$"{path}: {size} bytes; expected a journeys file of at most {YamlLimits.MaxBytes} bytes"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static JourneyCatalog Parse(string yaml, string fileName)
    {
        if (YamlLimits.Check(yaml, fileName) is { } tooBig)
        {
            throw new ConfigurationException([tooBig]);
        }

        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException([$"{fileName}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException([$"{fileName}:1:1: (root): expected a mapping with apiVersion and journeys"]);
        }

        var errors = new SpecErrors(fileName);
        var spec = new JourneysSpecReader(errors).Read(root);
        new JourneysSpecValidator(errors).Validate(spec);
        return errors.Count > 0 ? throw new ConfigurationException(errors.All) : JourneysSpecMapper.ToCatalog(spec);
    }
}
