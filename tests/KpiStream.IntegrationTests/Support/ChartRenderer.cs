using System.Globalization;
using System.Text.Json.Nodes;
using KpiStream.TestSupport;
using YamlDotNet.RepresentationModel;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Renders the chart without Helm, which this machine does not have: tests/tools/chart-render, Go's text/template (the
/// engine Helm uses) with the Helm and Sprig functions the chart calls, built once with Debian's Go (make test-deps).
/// A stand-in named as such; the README says what it does and does not check.
/// </summary>
public static class ChartRenderer
{
    public static readonly string Chart = Path.Combine(RepositoryPaths.Root, "helm", "kpistream");

    private static readonly Lazy<string> Tool = new(Build);

    /// <summary>The chart's values.yaml as JSON, YAML scalars typed as YAML 1.2's core schema reads plain ones.</summary>
    public static JsonObject DefaultValues() => (JsonObject)ToJson(Load(Path.Combine(Chart, "values.yaml")))!;

    /// <summary>The values an install must give: the cluster, the registry and the pseudonymization key's Secret.</summary>
    public static JsonObject InstallValues()
    {
        var values = DefaultValues();
        values["kafka"]!["bootstrapServers"] = "kafka-0.kafka:9092,kafka-1.kafka:9092";
        values["schemaRegistry"]!["url"] = "http://schema-registry:8081";
        values["pseudonymization"]!["existingSecret"] = "kpistream-keys";
        return values;
    }

    /// <returns>The manifests rendered, each as its YAML document; or the render's error.</returns>
    public static async Task<(IReadOnlyList<YamlMappingNode> Manifests, string Error)> RenderAsync(JsonObject values)
    {
        var valuesFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(valuesFile, values.ToJsonString());
        try
        {
            var (exit, output, error) = await RunAsync(Tool.Value, Chart, valuesFile, "rel");
            if (exit != 0)
            {
                return ([], error.Trim());
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(output));
            return ([.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()], "");
        }
        finally
        {
            File.Delete(valuesFile);
        }
    }

    public static YamlNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents[0].RootNode;
    }

    /// <summary>A YAML node as JSON: plain scalars that read as numbers, booleans or null are typed, as Helm reads values.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static string Build()
    {
        var binary = Path.Combine(Path.GetTempPath(), $"kpistream-chart-render-{Environment.ProcessId}");
        var (exit, _, error) = RunAsync("go", "build", "-o", binary, ".").GetAwaiter().GetResult();
        return exit == 0 ? binary : throw new InvalidOperationException($"go build of tests/tools/chart-render failed: {error}");
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string program, params string[] args) =>
        // Go builds offline into caches of its own under the temp directory: no module is fetched, HOME may be read-only.
        ExternalProgram.RunAsync(
            program,
            args,
            TimeSpan.FromMinutes(3),
            Path.Combine(RepositoryPaths.Root, "tests", "tools", "chart-render"),
            new Dictionary<string, string>
            {
                ["GOFLAGS"] = "-mod=mod",
                ["GOPROXY"] = "off",
                ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "kpistream-go-cache"),
                ["GOPATH"] = Path.Combine(Path.GetTempPath(), "kpistream-go-path"),
            });
}
