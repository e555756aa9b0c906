using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using Confluent.SchemaRegistry;
using KpiStream.IntegrationTests.Support;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// KpiStream among the clients of the Confluent ecosystem, through the Schema Registry that `run`
/// serves: Confluent's AvroSerializer writes the input, and Confluent's AvroDeserializer (C#) and
/// Debian's confluent-kafka with avro (Python) read both outputs, with no KpiStream code and no
/// .avsc file on the consuming side.
/// </summary>
public sealed class ConfluentClientTests
{
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task Input_from_confluents_serializer_gives_exact_kpis_and_alerts_that_confluents_deserializer_and_python_read_through_the_embedded_registry()
    {
        var registryPort = Polling.FreePort();
        using var processor = await StandaloneProcessor.StartAsync(["--partitions", "1", "--grace", "5s", "--rollup-windows", "none", "--schema-registry-port", registryPort.ToString(CultureInfo.InvariantCulture)]);
        var registryUrl = Bootstrap.RegistryUrl(processor.Process.Stdout);
        Assert.Equal(new Uri($"http://127.0.0.1:{registryPort}"), registryUrl);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl.ToString() });

        await ConfluentSerdes.ProduceAsync(processor.Bootstrap, registry, processor.Topics.DomainEvents, ConfluentSerdes.SixFailuresAndOneSale(T0));
        processor.ProduceClosers(1, T0.AddMinutes(13).AddSeconds(10));
        var windowKey = $"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000";
        await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.KpiWindowed, r => r.Any(c => c.Message.Key is { } k && System.Text.Encoding.UTF8.GetString(k) == windowKey), StandaloneProcessor.Timeout, windowKey);
        await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.KpiAlerts, r => r.Count > 0, StandaloneProcessor.Timeout, "an alert");

        // C#: Confluent's consumer and AvroDeserializer<GenericRecord>, pointed at the registry URL.
        var windows = ConfluentSerdes.ReadAll(processor.Bootstrap, registry, processor.Topics.KpiWindowed);
        var alerts = ConfluentSerdes.ReadAll(processor.Bootstrap, registry, processor.Topics.KpiAlerts);
        var window = windows.Last(w => w.Key == windowKey).Value;
        Assert.Equal(
            ("checkout", 7L, 1L, 6L, 7L, 1L, 1.0 / 7, 4200L),
            ((string)window["journey"], (long)window["attempts"], (long)window["successes"], (long)window["failures"], (long)window["sessions_started"], (long)window["sessions_converted"], (double)window["success_rate"], (long)((IDictionary<string, object>)window["revenue_minor"])["EUR"]));
        var page = alerts.Select(a => a.Value).First(a => (string)a["slo"] == "checkout-success" && ((GenericEnum)a["state"]).Value == "FIRING");
        Assert.Equal(("PAGE", "checkout", "*", "team-payments"), (((GenericEnum)page["severity"]).Value, (string)page["journey"], (string)page["segment_key"], (string)page["owner"]));
        // Six bad of seven against a 99% objective: a burn rate of (6/7)/0.01 in each window that holds minute 0.
        Assert.Equal(6.0 / 7 / 0.01, (double)((IDictionary<string, object>)page["burn_rates"])["1h"], 9);
        Assert.Equal(6.0 / 7 / 0.01, (double)((IDictionary<string, object>)page["burn_rates"])["5m"], 9);
        // The page opened its journey's incident, which lists it.
        var incidents = ConfluentSerdes.ReadAll(processor.Bootstrap, registry, processor.Topics.KpiIncidents);
        var incidentId = $"checkout@{T0.AddMinutes(1).ToUnixTimeMilliseconds()}";
        Assert.Equal(incidentId, (string)page["incident_id"]);
        var incident = incidents.Last(i => i.Key == incidentId).Value;
        Assert.Equal(("OPEN", "PAGE", (string)page["alert_id"]), (((GenericEnum)incident["state"]).Value, ((GenericEnum)incident["severity"]).Value, (string)((GenericRecord)Assert.Single((object[])incident["alerts"]))["alert_id"]));

        // Python: Debian's confluent-kafka asks the same registry for each writer schema; avro decodes.
        var (exit, output, errors) = await RunPythonReaderAsync(processor.Bootstrap, registryUrl, processor.Topics.KpiWindowed, processor.Topics.KpiAlerts, processor.Topics.KpiIncidents);
        Assert.True(exit == 0, errors);
        var records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var fromPython = records.Single(r => r.GetProperty("topic").GetString() == processor.Topics.KpiWindowed && r.GetProperty("key").GetString() == windowKey).GetProperty("value");
        Assert.Equal(
            (7L, 1L, 6L, 4200L),
            (fromPython.GetProperty("attempts").GetInt64(), fromPython.GetProperty("successes").GetInt64(), fromPython.GetProperty("failures").GetInt64(), fromPython.GetProperty("revenue_minor").GetProperty("EUR").GetInt64()));
        var pythonPage = records.First(r => r.GetProperty("topic").GetString() == processor.Topics.KpiAlerts && r.GetProperty("key").GetString() == (string)page["alert_id"]).GetProperty("value");
        // The same double, bit for bit, from both decoders.
        Assert.Equal(((string)page["alert_id"], (double)((IDictionary<string, object>)page["burn_rates"])["1h"]), (pythonPage.GetProperty("alert_id").GetString()!, pythonPage.GetProperty("burn_rates").GetProperty("1h").GetDouble()));
        Assert.Equal($"checkout-success|checkout|*|page@{T0.AddMinutes(1).ToUnixTimeMilliseconds()}", (string)page["alert_id"]);
        var pythonIncident = records.Last(r => r.GetProperty("topic").GetString() == processor.Topics.KpiIncidents).GetProperty("value");
        Assert.Equal((incidentId, "OPEN"), (pythonIncident.GetProperty("incident_id").GetString()!, pythonIncident.GetProperty("state").GetString()!));
        Assert.Equal(windows.Count + alerts.Count + incidents.Count, records.Count);
    }

    private static Task<(int Exit, string Output, string Errors)> RunPythonReaderAsync(string bootstrap, Uri registryUrl, params string[] topics) =>
        ExternalProgram.RunAsync("/usr/bin/python3", [Path.Combine(RepositoryPaths.Root, "tests", "clients", "read_outputs.py"), bootstrap, registryUrl.ToString(), .. topics], StandaloneProcessor.Timeout);
}
