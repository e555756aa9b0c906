using System.Text.RegularExpressions;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The health rules shipped for Prometheus (and in the chart as a PrometheusRule), checked and unit-tested by Prometheus'
/// own promtool (Debian's prometheus package, installed by make test-deps): each rule fires on series written to make it
/// fire and stays silent on others.
/// </summary>
public partial class PrometheusRulesTests
{
    private static readonly string RulesFile = Path.Combine(RepositoryPaths.Root, "helm", "kpistream", "files", "prometheus-rules.yaml");
    private static readonly string TestFile = Path.Combine(RepositoryPaths.Root, "tests", "prometheus", "kpistream-rules.test.yaml");

    [Fact]
    public async Task Promtool_accepts_the_rules_and_every_rule_test_passes()
    {
        var (checkExit, checkOutput) = await PromtoolAsync("check", "rules", RulesFile);
        Assert.True(checkExit == 0, checkOutput);
        Assert.Contains("SUCCESS: 9 rules found", checkOutput, StringComparison.Ordinal);

        var (testExit, testOutput) = await PromtoolAsync("test", "rules", TestFile);
        Assert.True(testExit == 0, testOutput);
        Assert.Contains("SUCCESS", testOutput, StringComparison.Ordinal);
    }

    /// <remarks>
    /// promtool requires exactly the listed alerts to fire at an evaluation: an empty list, or series beside the one
    /// expected to fire, are the silent cases.
    /// </remarks>
    [Fact]
    public void Every_rule_has_a_test_that_makes_it_fire_and_one_that_keeps_it_silent()
    {
        var cases = File.ReadAllText(TestFile).Split("  - name:")[1..];
        foreach (var alert in AlertName().Matches(File.ReadAllText(RulesFile)).Select(m => m.Groups[1].Value))
        {
            var itsCases = cases.Where(c => c.Contains($"alertname: {alert}\n", StringComparison.Ordinal)).ToList();
            Assert.True(itsCases.Any(c => Regex.IsMatch(c, $@"alertname: {alert}\s+exp_alerts:\s+- exp_labels:")), $"{alert}: no test expects it to fire");
            Assert.True(itsCases.Any(c => Regex.IsMatch(c, $@"alertname: {alert}\s+exp_alerts: \[\]") || Regex.Matches(c, "- series:").Count > 1), $"{alert}: no test keeps it silent");
        }
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(params string[] args)
    {
        var (exit, output, errors) = await ExternalProgram.RunAsync("promtool", args, TimeSpan.FromMinutes(1));
        return (exit, output + errors);
    }

    [GeneratedRegex(@"- alert: (\S+)")]
    private static partial Regex AlertName();
}
