using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Configuration;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Configuration;

public class JourneysFileTests
{
    [Fact]
    public void The_shipped_journeys_file_is_valid()
    {
        var catalog = JourneysFile.Load(Path.Combine(RepositoryPaths.Root, "config", "journeys.yaml"));

        Assert.Equal(["checkout", "login", "signup"], catalog.Journeys.Select(j => j.Name));
        var checkout = catalog.Find("checkout")!;
        Assert.Equal(["checkout_failed", "payment_declined"], checkout.FailureEvents.ToArray());
        Assert.Equal(TimeSpan.FromMinutes(30), checkout.ConversionTimeout);
        Assert.Equal(new SloSpec("checkout-latency", SliKind.Latency, 0.99, TimeSpan.FromDays(28), TimeSpan.FromMilliseconds(1500), AlertPolicy.Workbook, new Uri("https://runbooks.example.com/checkout/latency")), checkout.Slos[1]);
        Assert.Equal((3.0, 1.0), (checkout.Criticality, checkout.Stage));
        Assert.Equal(new KpiStream.Core.Slos.ImpactWeights(1.0, 0.5), catalog.ImpactWeights);
        Assert.Equal(("low-traffic", TimeSpan.FromMinutes(15), 2), (catalog.Find("signup")!.Slos[0].Alerting.Name, catalog.Find("signup")!.Slos[0].Alerting.ResolveAfter, catalog.Find("signup")!.Slos[0].Alerting.Rules.Length));
    }

    [Fact]
    public void The_sample_journeys_parse_into_specs()
    {
        var login = SampleJourneys.Login;

        Assert.Equal("team-identity", login.Owner);
        Assert.Equal(["region"], login.SegmentBy.ToArray());
        Assert.Equal(TimeSpan.FromMinutes(2), login.ConversionTimeout);
        Assert.Empty(login.Services);
        Assert.Equal(EventRole.Success, login.RoleOf("login_succeeded"));
        Assert.Equal((SegmentAlerting.Dimensions, JourneySpec.DefaultSegmentTrafficFloor), (login.SegmentAlerting, login.SegmentTrafficFloor));
        var combinations = JourneysFile.Parse(SampleJourneys.Yaml.Replace("segmentBy: [region, device]", "segmentBy: [region, device]\n    segmentAlerting: combinations\n    segmentTrafficFloor: 50", StringComparison.Ordinal), "combinations.yaml").Find("checkout")!;
        Assert.Equal((SegmentAlerting.Combinations, 50L), (combinations.SegmentAlerting, combinations.SegmentTrafficFloor));
        Assert.Null(login.RoleOf("checkout_started"));
    }

    private const string Runbook = "runbook: https://runbooks.example.com/checkout";

    [Fact]
    public void An_slo_may_hold_dimension_values_to_their_own_objective_and_criticality()
    {
        var yaml = SampleJourneys.Yaml.Replace(Runbook, Runbook + """

                    segments:
                      - segment: region=eu-west
                        objective: 0.999
                        criticality: 3
                      - segment: device=ios
                        objective: 0.995
                      - segment: device=web
                        criticality: 0.5
            """, StringComparison.Ordinal);

        var slo = JourneysFile.Parse(yaml, "terms.yaml").Find("checkout")!.Slos.Single();

        Assert.Equal([new SegmentObjective("region", "eu-west", 0.999, 3), new SegmentObjective("device", "ios", 0.995, null), new SegmentObjective("device", "web", null, 0.5)], slo.Segments.ToArray());
        // A combination takes the strictest objective and the highest criticality of its values; the journey as a whole keeps the SLO's.
        Assert.Equal((0.999, (double?)3), (slo.ObjectiveIn("device=ios,region=eu-west"), slo.CriticalityIn("device=ios,region=eu-west")));
        Assert.Equal((0.995, (double?)null), (slo.ObjectiveIn("device=ios"), slo.CriticalityIn("device=ios")));
        Assert.Equal((0.99, (double?)0.5), (slo.ObjectiveIn("device=web,region=ap-south"), slo.CriticalityIn("device=web,region=ap-south")));
        Assert.Equal((0.99, (double?)null), (slo.ObjectiveIn("*"), slo.CriticalityIn("*")));
        // A value is matched whole: region=eu-west is not region=eu-west-2.
        Assert.Equal(0.99, slo.ObjectiveIn("region=eu-west-2"));
    }

    [Theory]
    [InlineData("conversionTimeout: 10m", "conversionTimeout: soon", "bad.yaml:11:24: journeys[0].conversionTimeout: expected a duration such as 500ms, 30s, 15m, 2h or 28d, got 'soon'")]
    [InlineData("objective: 0.99", "objective: 99.9", "bad.yaml:15:20: journeys[0].slos[0].objective: expected a number strictly between 0 and 1 such as 0.999, got '99.9'")]
    [InlineData("sli: event-ratio", "sli: ratio", "bad.yaml:14:14: journeys[0].slos[0].sli: expected one of event-ratio, latency, availability, got 'ratio'")]
    [InlineData("    owner: team-payments\n", "", "bad.yaml:3:5: journeys[0].owner: required field is missing")]
    [InlineData("segmentBy: [region, device]", "segmentBy: []", "bad.yaml:9:16: journeys[0].segmentBy: expected a non-empty list of names")]
    [InlineData("segmentBy: [region, device]", "segmentBy: [region, device]\n    segmentAlerting: sideways", "bad.yaml:10:22: journeys[0].segmentAlerting: expected one of dimensions, combinations, off, got 'sideways'")]
    [InlineData("segmentBy: [region, device]", "segmentBy: [region, device]\n    segmentTrafficFloor: 0", "bad.yaml:10:26: journeys[0].segmentTrafficFloor: expected a whole number of events from 1 to 1000000000, got '0'")]
    [InlineData("name: checkout\n", "name: Checkout!\n", "bad.yaml:3:11: journeys[0].name: expected a lower-case name (letters, digits, '-' or '_', starting with a letter), got 'Checkout!'")]
    [InlineData("    services: [checkout-api]", "    servces: [checkout-api]", "bad.yaml:10:5: journeys[0].servces: unknown field; expected one of name, owner, description, events, segmentBy, services, conversionTimeout, criticality, stage, segmentAlerting, segmentTrafficFloor, slos, compositeAlerts")]
    [InlineData("conversionTimeout: 2m", "conversionTimeout: 2m\n    criticality: 0", "bad.yaml:39:18: journeys[1].criticality: expected a number from 0.01 to 100, got '0'")]
    [InlineData(Runbook, Runbook + "\n        segments:\n          - segment: plan=pro\n            objective: 0.999", "bad.yaml:20:13: journeys[0].slos[0].segments[0].segment: expected a value of one of the journey's segmentBy dimensions (region, device), got 'plan=pro'")]
    [InlineData(Runbook, Runbook + "\n        segments:\n          - segment: region\n            objective: 0.999", "bad.yaml:20:22: journeys[0].slos[0].segments[0].segment: expected one dimension's value such as plan_tier=enterprise, got 'region'")]
    [InlineData(Runbook, Runbook + "\n        segments:\n          - segment: region=eu-west", "bad.yaml:20:13: journeys[0].slos[0].segments[0]: expected an objective, a criticality or both for the segment, found neither")]
    [InlineData(Runbook, Runbook + "\n        segments:\n          - segment: region=eu-west\n            criticality: 2\n          - segment: region=eu-west\n            objective: 0.9", "bad.yaml:22:13: journeys[0].slos[0].segments[1].segment: expected each segment once, 'region=eu-west' is declared twice")]
    [InlineData(Runbook, Runbook + "\n        segments:\n          - segment: region=eu-west\n            objective: 1", "bad.yaml:21:24: journeys[0].slos[0].segments[0].objective: expected a number strictly between 0 and 1 such as 0.999, got '1'")]
    [InlineData("apiVersion: kpistream/v1", "apiVersion: kpistream/v0", "bad.yaml:1:13: apiVersion: expected 'kpistream/v1', got 'kpistream/v0'")]
    [InlineData("failure: [checkout_failed]", "failure: [checkout_started]", "bad.yaml:6:7: journeys[0].events: expected each event type in one role only, 'checkout_started' has several")]
    [InlineData("sli: event-ratio", "sli: latency", "bad.yaml:13:9: journeys[0].slos[0].threshold: expected a latency threshold such as 1500ms for a latency SLI, found none")]
    public void Each_error_names_file_line_column_field_and_expectation(string original, string replacement, string expected)
    {
        var yaml = SampleJourneys.Yaml.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(SampleJourneys.Yaml, yaml);

        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "bad.yaml"));

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void Personal_fields_are_user_id_and_the_attributes_the_file_names()
    {
        var yaml = SampleJourneys.Yaml.Replace("apiVersion: kpistream/v1\n", "apiVersion: kpistream/v1\npersonalFields: [user_id, attributes.email]\n", StringComparison.Ordinal);

        var catalog = JourneysFile.Parse(yaml, "personal.yaml");

        Assert.Equal(["email"], catalog.PersonalFields.Attributes.ToArray());
        Assert.Equal(["user_id", "attributes.email"], catalog.PersonalFields.Names);
        Assert.Empty(SampleJourneys.Catalog.PersonalFields.Attributes);
    }

    [Theory]
    [InlineData("[email]", "personal.yaml:2:18: personalFields[0]: expected user_id or attributes.<name> (an entry of a domain event's attributes), got 'email'")]
    [InlineData("[attributes.experiment]", "personal.yaml:2:18: personalFields[0]: expected a field no journey segments by, but journey 'search' segments by 'experiment'")]
    public void A_personal_field_is_user_id_or_an_attribute_no_journey_segments_by(string fields, string expected)
    {
        var yaml = SampleJourneys.Yaml.Replace("apiVersion: kpistream/v1\n", $"apiVersion: kpistream/v1\npersonalFields: {fields}\n", StringComparison.Ordinal);

        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "personal.yaml"));

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var yaml = SampleJourneys.Yaml.Replace("conversionTimeout: 10m", "conversionTimeout: soon", StringComparison.Ordinal).Replace("conversionTimeout: 2m", "conversionTimeout: 2 minutes", StringComparison.Ordinal);

        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "bad.yaml"));

        Assert.Equal(2, error.Errors.Count);
    }

    private const string WithPolicies = """
        apiVersion: kpistream/v1
        alertPolicies:
          - name: fast-burn-only
            resolveAfter: 10m
            minimumBadEvents: 3
            rules:
              - severity: page
                longWindow: 30m
                shortWindow: 2m
                burnRate: 20
              - severity: ticket
                longWindow: 6h
                shortWindow: 1h
                burnRate: 2.5
        journeys:
          - name: checkout
            owner: team-payments
            events:
              start: [checkout_started]
              success: [checkout_completed]
            segmentBy: [region]
            conversionTimeout: 10m
            slos:
              - name: checkout-success
                sli: event-ratio
                objective: 0.995
                period: 7d
                alertPolicy: fast-burn-only
                runbook: https://runbooks.example.com/checkout
              - name: checkout-default
                sli: event-ratio
                objective: 0.99
                period: 28d
        """;

    [Fact]
    public void Slos_use_the_workbook_policy_unless_they_name_a_declared_one()
    {
        var slos = JourneysFile.Parse(WithPolicies, "policies.yaml").Find("checkout")!.Slos;

        var custom = slos[0].Alerting;
        Assert.Equal("fast-burn-only", custom.Name);
        Assert.Equal((TimeSpan.FromMinutes(10), 3), (custom.ResolveAfter, custom.MinimumBadEvents));
        Assert.Equal(
            [new MultiWindowRule(AlertSeverity.Page, SloWindow.OfMinutes(30), SloWindow.OfMinutes(2), 20), new MultiWindowRule(AlertSeverity.Ticket, SloWindow.OfHours(6), SloWindow.OfHours(1), 2.5)],
            custom.Rules.ToArray());
        Assert.Equal(new Uri("https://runbooks.example.com/checkout"), slos[0].Runbook);
        Assert.Same(AlertPolicy.Workbook, slos[1].Alerting);
        Assert.Null(slos[1].Runbook);
    }

    [Theory]
    [InlineData("alertPolicy: fast-burn-only", "alertPolicy: slow", "policies.yaml:28:22: journeys[0].slos[0].alertPolicy: expected one of the declared alert policies (fast-burn-only, workbook), got 'slow'")]
    [InlineData("severity: page", "severity: sms", "policies.yaml:7:19: alertPolicies[0].rules[0].severity: expected one of page, ticket, got 'sms'")]
    [InlineData("shortWindow: 2m", "shortWindow: 45m", "policies.yaml:7:9: alertPolicies[0].rules[0].shortWindow: expected a window shorter than the long window (30m), got 45m")]
    [InlineData("shortWindow: 2m", "shortWindow: 90s", "policies.yaml:9:22: alertPolicies[0].rules[0].shortWindow: expected a whole number of minutes such as 5m or 1h, got '90s'")]
    [InlineData("burnRate: 20", "burnRate: -1", "policies.yaml:10:19: alertPolicies[0].rules[0].burnRate: expected a positive number such as 14.4, got '-1'")]
    [InlineData("minimumBadEvents: 3", "minimumBadEvents: few", "policies.yaml:5:23: alertPolicies[0].minimumBadEvents: expected a whole number from 0 to 1000000, got 'few'")]
    [InlineData("fast-burn-only", "workbook", "policies.yaml:3:5: alertPolicies[0].name: expected a unique policy name, 'workbook' is already declared (built in)")]
    [InlineData("runbook: https://runbooks.example.com/checkout", "runbook: see the wiki", "policies.yaml:29:18: journeys[0].slos[0].runbook: expected an absolute http(s) URL, got 'see the wiki'")]
    [InlineData("period: 28d", "period: 2d", "policies.yaml:30:9: journeys[0].slos[1].period: expected a period at least as long as the longest window of alert policy 'workbook' (3d), got '2d'")]
    [InlineData("name: checkout-default", "name: checkout-success", "policies.yaml:30:9: journeys[0].slos[1].name: expected a name no other SLO or composite alert of the journey has, 'checkout-success' is taken")]
    [InlineData("name: checkout-default", "name: silence", "policies.yaml:30:9: journeys[0].slos[1].name: expected a name other than 'silence', which the silence alert of every journey has")]
    public void Alert_policy_errors_name_file_line_field_and_expectation(string original, string replacement, string expected)
    {
        var yaml = WithPolicies.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(WithPolicies, yaml);

        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "policies.yaml"));

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void Broken_yaml_and_missing_files_are_reported_with_their_position_or_path()
    {
        var broken = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse("journeys: [a, b\n", "broken.yaml"));
        Assert.StartsWith("broken.yaml:", Assert.Single(broken.Errors), StringComparison.Ordinal);
        Assert.Contains("not valid YAML", broken.Errors[0], StringComparison.Ordinal);

        var missing = Assert.Throws<ConfigurationException>(() => JourneysFile.Load("/nonexistent/journeys.yaml"));
        Assert.Equal(["/nonexistent/journeys.yaml: file not found"], missing.Errors);
    }
}
