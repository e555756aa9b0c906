using System.CommandLine;
using System.Text.RegularExpressions;
using KpiStream.Processor.Cli;
using KpiStream.Processor.Configuration;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Cli;

/// <summary>The chart and the CLI must agree: every argument the deployment passes parses, and the shipped journeys are the default ones.</summary>
public class HelmChartTests
{
    private static readonly string Chart = Path.Combine(RepositoryPaths.Root, "helm", "kpistream");

    [Fact]
    public void Every_argument_of_the_deployment_template_is_accepted_by_kpistream_run()
    {
        var template = File.ReadAllText(Path.Combine(Chart, "templates", "deployment.yaml"));
        var args = Regex.Matches(template, @"^\s+- (--[a-z-]+)(=.*)?$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value + (m.Groups[2].Success ? "=" + Placeholder(m.Groups[1].Value) : ""))
            .ToList();
        Assert.Contains("--bootstrap-servers=kafka:9092", args);

        var command = RunCommand.Create();
        var parse = command.Parse(args);

        Assert.Empty(parse.Errors);
        // Values convert when read as their type, not when parsed: read each as the run action does.
        var getValue = typeof(ParseResult).GetMethods().Single(m => m.Name == nameof(ParseResult.GetValue) && m.IsGenericMethodDefinition
            && m.GetParameters()[0].ParameterType is { IsGenericType: true } p && p.GetGenericTypeDefinition() == typeof(Option<>));
        foreach (var option in command.Options)
        {
            getValue.MakeGenericMethod(option.ValueType).Invoke(parse, [option]);
        }
    }

    [Fact]
    public void The_chart_ships_the_default_journeys()
    {
        var chartJourneys = JourneysFile.Load(Path.Combine(Chart, "journeys.yaml"));
        Assert.Equal(["checkout", "login", "signup"], chartJourneys.Journeys.Select(j => j.Name));
    }

    private static string Placeholder(string option) => option switch
    {
        "--bootstrap-servers" => "kafka:9092",
        "--schema-registry-url" => "http://registry:8081",
        "--metrics-port" => "9464",
        "--grace" or "--idle-advance-after" => "30s",
        "--stream-threads" => "1",
        "--partitions" => "6",
        "--instance-id" => "kpistream-7d9f-abcde",
        "--dead-letter-payloads" => "keep",
        _ => "value",
    };
}
