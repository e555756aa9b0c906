using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Cli;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;
using YamlDotNet.RepresentationModel;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The chart, tested with what this machine has (no Helm, no cluster): its values schema against values.yaml and wrong
/// values; every template rendered by Go's text/template (ChartRenderer) and its manifests checked field by field; the
/// arguments it passes parsed by the commands they are for; and every value the README documents used by a template.
/// </summary>
public partial class HelmChartTests
{
    [Fact]
    public void The_values_schema_accepts_the_shipped_values_and_an_install_and_refuses_wrong_ones_naming_them()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(ChartRenderer.Chart, "values.schema.json")));
        Assert.True(Evaluate(schema, ChartRenderer.DefaultValues()).IsValid);
        Assert.True(Evaluate(schema, ChartRenderer.InstallValues()).IsValid);

        foreach (var (path, value) in new (string, JsonNode?)[]
        {
            ("deadLetterPayloads", "maybe"),
            ("replicaCount", "two"),
            ("replicationFactor", 0),
            ("grace", "soon"),
            ("replicas", 2),
            ("kafka.bootstrapServers", "kafka"),
            ("alertForwarder.alertmanagerUrls", new JsonArray("alertmanager:9093")),
            ("securityContext", "privileged"),
            ("state.sizeLimit", "a lot"),
            ("topologySpread", new JsonArray(new JsonObject { ["topologyKey"] = "zone", ["maxSkew"] = 1, ["whenUnsatisfiable"] = "Sometimes" })),
        })
        {
            var values = ChartRenderer.InstallValues();
            Set(values, path, value);
            var result = Evaluate(schema, values);
            Assert.False(result.IsValid, $"{path}: {value?.ToJsonString()} was accepted");
            Assert.Contains(Errors(result), e => e.Contains(path.Split('.')[^1], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_install_renders_a_locked_down_processor_with_its_state_volume_budget_spread_and_dashboard()
    {
        var (manifests, error) = await ChartRenderer.RenderAsync(ChartRenderer.InstallValues());
        Assert.Equal("", error);

        Assert.Equal(
            ["ConfigMap/rel-kpistream-dashboard", "ConfigMap/rel-kpistream-journeys", "Deployment/rel-kpistream", "PodDisruptionBudget/rel-kpistream", "Service/rel-kpistream-metrics"],
            manifests.Select(m => $"{Text(m, "kind")}/{Text(m, "metadata.name")}").Order(StringComparer.Ordinal));
        var deployment = Kind(manifests, "Deployment");
        var pod = Node(deployment, "spec.template.spec");
        Assert.Equal(("true", "10001", "RuntimeDefault"), (Text(pod, "securityContext.runAsNonRoot"), Text(pod, "securityContext.runAsUser"), Text(pod, "securityContext.seccompProfile.type")));
        var container = (YamlMappingNode)((YamlSequenceNode)Node(pod, "containers")).Children[0];
        Assert.Equal(("false", "true", "ALL"), (Text(container, "securityContext.allowPrivilegeEscalation"), Text(container, "securityContext.readOnlyRootFilesystem"), ((YamlSequenceNode)Node(container, "securityContext.capabilities.drop")).Children.Single().ToString()));
        // A read-only root file system: the state directory and /tmp are volumes.
        Assert.Equal(["/etc/kpistream/journeys", "/tmp", "/var/lib/kpistream/state"], Items(container, "volumeMounts").Select(v => Text(v, "mountPath")).Order(StringComparer.Ordinal));
        var state = Items(pod, "volumes").Single(v => Text(v, "name") == "state");
        Assert.Equal("2Gi", Text(state, "emptyDir.sizeLimit"));
        Assert.Equal(("/healthz", "/healthz", "/readyz"), (Text(container, "startupProbe.httpGet.path"), Text(container, "livenessProbe.httpGet.path"), Text(container, "readinessProbe.httpGet.path")));
        AssertStartupProbeOutwaitsStartup(container);
        // The budget, the spread and the Service all select the processor's pods, and only those.
        var selector = Node(deployment, "spec.selector.matchLabels").ToString();
        Assert.Contains("app.kubernetes.io/component, processor", selector, StringComparison.Ordinal);
        Assert.Equal(selector, Node(Kind(manifests, "PodDisruptionBudget"), "spec.selector.matchLabels").ToString());
        Assert.Equal(selector, Node(Items(pod, "topologySpreadConstraints").Single(), "labelSelector.matchLabels").ToString());
        Assert.Equal(selector, Node(Kind(manifests, "Service"), "spec.selector").ToString());
        Assert.Equal("1", Text(Kind(manifests, "PodDisruptionBudget"), "spec.maxUnavailable"));

        var dashboard = manifests.Single(m => Text(m, "metadata.name") == "rel-kpistream-dashboard");
        Assert.Equal("1", Text(dashboard, "metadata.labels.grafana_dashboard"));
        Assert.Equal("kpistream", JsonDocument.Parse(Text(dashboard, "data.kpistream.json")).RootElement.GetProperty("uid").GetString());
        var journeys = manifests.Single(m => Text(m, "metadata.name") == "rel-kpistream-journeys");
        Assert.Equal(["checkout", "login", "signup"], JourneysFile.Parse(Text(journeys, "data.journeys.yaml"), "configmap").Journeys.Select(j => j.Name));

        var args = Args(container);
        Assert.Equal("run", args[0]);
        Assert.Contains("--bootstrap-servers=kafka-0.kafka:9092,kafka-1.kafka:9092", args);
        AssertParses(RunCommand.Create(), args[1..]);
    }

    [Fact]
    public async Task With_everything_enabled_secrets_are_mounted_not_passed_and_the_forwarder_monitor_and_rules_are_rendered()
    {
        var values = ChartRenderer.InstallValues();
        values["replicaCount"] = 1;
        Set(values, "kafka.properties", new JsonObject { ["security.protocol"] = "SASL_SSL", ["sasl.mechanism"] = "SCRAM-SHA-512", ["ssl.ca.location"] = "/etc/kpistream/kafka-tls/ca.crt" });
        Set(values, "kafka.existingSecret", "kafka-credentials");
        Set(values, "kafka.tlsSecret", "kafka-tls");
        Set(values, "schemaRegistry.existingSecret", "registry-credentials");
        Set(values, "schemaRegistry.properties", new JsonObject { ["basic.auth.credentials.source"] = "USER_INFO" });
        Set(values, "schemaRegistry.autoRegister", false);
        Set(values, "state.persistentVolumeClaim.enabled", true);
        Set(values, "serviceMonitor.enabled", true);
        Set(values, "prometheusRule.enabled", true);
        Set(values, "alertForwarder.enabled", true);
        Set(values, "alertForwarder.alertmanagerUrls", new JsonArray("http://alertmanager-0:9093", "http://alertmanager-1:9093"));
        Set(values, "alertForwarder.existingSecret", "alertmanager-credentials");

        var (manifests, error) = await ChartRenderer.RenderAsync(values);
        Assert.Equal("", error);

        var processor = Container(manifests.Single(m => Text(m, "kind") == "Deployment" && Text(m, "metadata.name") == "rel-kpistream"));
        var args = Args(processor);
        Assert.Contains("--kafka-config=/etc/kpistream/kafka/kafka.properties", args);
        Assert.Contains("--schema-registry-config=/etc/kpistream/schema-registry/schema-registry.properties", args);
        Assert.Contains("--kafka-property=security.protocol=SASL_SSL", args);
        Assert.Contains("--schema-registry-property=basic.auth.credentials.source=USER_INFO", args);
        Assert.Contains("--no-schema-auto-register", args);
        AssertParses(RunCommand.Create(), args[1..]);
        var pod = Node(manifests.Single(m => Text(m, "kind") == "Deployment" && Text(m, "metadata.name") == "rel-kpistream"), "spec.template.spec");
        var secrets = Items(pod, "volumes").Where(v => v.Children.ContainsKey("secret")).ToList();
        Assert.Equal(["kafka-credentials", "kafka-tls", "registry-credentials"], secrets.Select(v => Text(v, "secret.secretName")).Order(StringComparer.Ordinal));
        Assert.All(secrets, v => Assert.Equal("0400", Text(v, "secret.defaultMode")));
        Assert.Equal("rel-kpistream-state", Text(Items(pod, "volumes").Single(v => Text(v, "name") == "state"), "persistentVolumeClaim.claimName"));
        Assert.Equal("10Gi", Text(Kind(manifests, "PersistentVolumeClaim"), "spec.resources.requests.storage"));

        var forwarder = manifests.Single(m => Text(m, "kind") == "Deployment" && Text(m, "metadata.name") == "rel-kpistream-alert-forwarder");
        var forwarderArgs = Args(Container(forwarder));
        Assert.Equal(["alerts", "forward"], forwarderArgs[..2]);
        Assert.Equal(["--alertmanager-url=http://alertmanager-0:9093", "--alertmanager-url=http://alertmanager-1:9093"], forwarderArgs.Where(a => a.StartsWith("--alertmanager-url", StringComparison.Ordinal)));
        AssertParses(AlertsCommand.Create().Subcommands.Single(), forwarderArgs[2..]);
        // Its Alertmanager credentials come from their Secret, mounted read-only where the argument points.
        Assert.Contains("--alertmanager-config=/etc/kpistream/alertmanager/alertmanager.properties", forwarderArgs);
        var credentials = Items(Node(forwarder, "spec.template.spec"), "volumes").Single(v => Text(v, "name") == "alertmanager-settings");
        Assert.Equal(("alertmanager-credentials", "0400"), (Text(credentials, "secret.secretName"), Text(credentials, "secret.defaultMode")));
        var mount = Items(Container(forwarder), "volumeMounts").Single(m => Text(m, "name") == "alertmanager-settings");
        Assert.Equal(("/etc/kpistream/alertmanager", "true"), (Text(mount, "mountPath"), Text(mount, "readOnly")));
        Assert.Equal("true", Text(Container(forwarder), "securityContext.readOnlyRootFilesystem"));
        AssertStartupProbeOutwaitsStartup(Container(forwarder));

        // Each monitor finds, as the Prometheus Operator would, one Service by its labels, and through it the pods of one
        // Deployment and their metrics port: the processor's and the forwarder's, whose series the forwarding rules read.
        var scraped = manifests.Where(m => Text(m, "kind") == "ServiceMonitor").Select(monitor => ScrapedDeployment(manifests, monitor)).ToList();
        Assert.Equal(["rel-kpistream", "rel-kpistream-alert-forwarder"], scraped.Order(StringComparer.Ordinal));
        // The rule carries the rules file's groups as they are.
        var rules = (YamlMappingNode)ChartRenderer.Load(Path.Combine(ChartRenderer.Chart, "files", "prometheus-rules.yaml"));
        Assert.Equal(Node(rules, "groups").ToString(), Node(Kind(manifests, "PrometheusRule"), "spec.groups").ToString());
    }

    [Theory]
    [InlineData("kafka.bootstrapServers", "", "kafka.bootstrapServers is required")]
    [InlineData("schemaRegistry.url", "", "schemaRegistry.url is required")]
    [InlineData("pseudonymization.existingSecret", "", "pseudonymization.existingSecret is required: a Secret with key pseudonymizationKey")]
    [InlineData("state.persistentVolumeClaim.enabled", true, "state.persistentVolumeClaim.enabled needs replicaCount 1")]
    [InlineData("alertForwarder.enabled", true, "alertForwarder.alertmanagerUrls is required when alertForwarder.enabled")]
    public async Task A_missing_or_contradictory_value_fails_the_render_naming_it(string path, object value, string message)
    {
        var values = ChartRenderer.InstallValues();
        Set(values, path, JsonValue.Create(value));

        var (manifests, error) = await ChartRenderer.RenderAsync(values);

        Assert.Empty(manifests);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_the_readme_documents_is_read_by_a_template_and_is_in_the_schema()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var table = readme[readme.IndexOf("Chart values:", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| ---", StringComparison.Ordinal), StringComparison.Ordinal)];
        var documented = table.Split('\n').Where(row => row.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(row => ValueName().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.True(documented.Count >= 30, $"read only {documented.Count} values: {string.Join(' ', documented)}");

        var templates = string.Concat(Directory.EnumerateFiles(Path.Combine(ChartRenderer.Chart, "templates")).Select(File.ReadAllText));
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(ChartRenderer.Chart, "values.schema.json")))!;
        foreach (var value in documented)
        {
            Assert.True(templates.Contains($".Values.{value}", StringComparison.Ordinal), $"{value}: documented, but no template reads it");
            var node = value.Split('.').Aggregate((JsonNode?)schema, (n, part) => n?["properties"]?[part]);
            Assert.True(node is not null, $"{value}: documented, but not in values.schema.json");
        }

        // And every top-level value is documented.
        Assert.DoesNotContain(ChartRenderer.DefaultValues().Select(kv => kv.Key), key => !documented.Any(d => d == key || d.StartsWith(key + ".", StringComparison.Ordinal)));
    }

    private static EvaluationResults Evaluate(JsonSchema schema, JsonObject values) =>
        schema.Evaluate(JsonDocument.Parse(values.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static IEnumerable<string> Errors(EvaluationResults result) =>
        (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));

    private static void AssertParses(Command command, IReadOnlyList<string> args)
    {
        var parse = command.Parse(args.Select(a => a.Replace("$(POD_NAME)", "rel-kpistream-7d9f-abcde", StringComparison.Ordinal)).ToArray());
        Assert.Empty(parse.Errors);
        // Values convert when read as their type, not when parsed: read each as the command's action does.
        var getValue = typeof(ParseResult).GetMethods().Single(m => m.Name == nameof(ParseResult.GetValue) && m.IsGenericMethodDefinition
            && m.GetParameters()[0].ParameterType is { IsGenericType: true } p && p.GetGenericTypeDefinition() == typeof(Option<>));
        foreach (var option in command.Options)
        {
            getValue.MakeGenericMethod(option.ValueType).Invoke(parse, [option]);
        }
    }

    private static void Set(JsonObject values, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(values, (node, part) => (JsonObject)node[part]!);
        parent[parts[^1]] = value;
    }

    private static YamlMappingNode Kind(IEnumerable<YamlMappingNode> manifests, string kind) => manifests.Single(m => Text(m, "kind") == kind);

    private static YamlMappingNode Container(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlSequenceNode)Node(workload, "spec.template.spec.containers")).Children.Single();

    /// <summary>The Deployment whose pods a ServiceMonitor scrapes: matched by labels as the Prometheus Operator and Kubernetes match them.</summary>
    private static string ScrapedDeployment(IReadOnlyList<YamlMappingNode> manifests, YamlMappingNode monitor)
    {
        var wanted = Labels(Node(monitor, "spec.selector.matchLabels"));
        var endpoint = Items(monitor, "spec.endpoints").Single();
        var service = Assert.Single(manifests, m => Text(m, "kind") == "Service" && IsSubset(wanted, Labels(Node(m, "metadata.labels"))));
        var port = Items(service, "spec.ports").Single(p => Text(p, "name") == Text(endpoint, "port"));
        var podSelector = Labels(Node(service, "spec.selector"));
        var deployment = Assert.Single(manifests, m => Text(m, "kind") == "Deployment" && IsSubset(podSelector, Labels(Node(m, "spec.template.metadata.labels"))));
        Assert.Contains(Items(Container(deployment), "ports"), p => Text(p, "name") == Text(port, "targetPort"));
        Assert.Equal("/metrics", Text(endpoint, "path"));
        return Text(deployment, "metadata.name");

        static Dictionary<string, string> Labels(YamlNode node) => ((YamlMappingNode)node).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
        static bool IsSubset(Dictionary<string, string> wanted, Dictionary<string, string> labels) => wanted.All(w => labels.GetValueOrDefault(w.Key) == w.Value);
    }

    /// <summary>Both commands listen only once they have reached the cluster, which start-up waits for; a probe that gave up sooner would restart a pod that was only waiting.</summary>
    private static void AssertStartupProbeOutwaitsStartup(YamlMappingNode container)
    {
        var window = TimeSpan.FromSeconds(int.Parse(Text(container, "startupProbe.failureThreshold"), CultureInfo.InvariantCulture) * int.Parse(Text(container, "startupProbe.periodSeconds"), CultureInfo.InvariantCulture));
        Assert.True(window >= StartupTimeout.Default, $"the startup probe of {Text(container, "name")} gives up after {window.TotalSeconds} s, start-up waits up to {StartupTimeout.Default.TotalSeconds} s");
        Assert.Equal("/healthz", Text(container, "startupProbe.httpGet.path"));
    }

    private static string[] Args(YamlMappingNode container) => [.. ((YamlSequenceNode)Node(container, "args")).Children.Select(a => a.ToString())];

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, string path) => ((YamlSequenceNode)Node(node, path)).Children.Cast<YamlMappingNode>();

    /// <summary>The node at a dotted path; a key may itself hold dots (kpistream.json, journeys.yaml) when it is the last part.</summary>
    private static YamlNode Node(YamlNode node, string path)
    {
        YamlNode current = node;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var children = ((YamlMappingNode)current).Children;
            var rest = string.Join('.', parts[i..]);
            if (children.TryGetValue(new YamlScalarNode(rest), out var whole))
            {
                return whole;
            }

            current = children[new YamlScalarNode(parts[i])];
        }

        return current;
    }

    private static string Text(YamlNode node, string path) => Node(node, path).ToString();

    // The value paths in a cell, such as "`kafka.existingSecret`, `kafka.existingSecretKey`".
    [GeneratedRegex(@"`([a-zA-Z.]+)`")]
    private static partial Regex ValueName();
}
