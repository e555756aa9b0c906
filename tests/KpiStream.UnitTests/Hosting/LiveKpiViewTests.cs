using System.Collections.Immutable;
using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Processor.Hosting;
using KpiStream.Processor.Kpis.Alerting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KpiStream.UnitTests.Hosting;

public class LiveKpiViewTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-23T12:34:00Z");

    [Fact]
    public void The_slo_table_shows_objective_sli_budget_left_and_burn_rates_of_each_journey()
    {
        var burn = ImmutableSortedDictionary<string, double>.Empty.Add("5m", 100).Add("1h", 15).Add("6h", 2.5).Add("3d", 0.4);
        var text = Text(LiveKpiView.Render([new SloStatus("checkout", "checkout-success", 0.995, At, burn, new ErrorBudget(0.995, new SliCounts(9_980, 10_000)))]));

        // 20 bad of 10,000 spend 40% of a 0.5% budget.
        Assert.Matches(@"checkout\s+│\s+checkout-success\s+│\s+99\.5%\s+│\s+99\.8%\s+│\s+60%\s+│\s+100\.0x\s+│\s+15\.0x\s+│\s+2\.5x\s+│\s+0\.4x\s+│\s+11-23 12:34", text);
    }

    [Fact]
    public void The_alert_table_lists_firing_alerts_with_their_deploys_and_says_so_when_none_fire()
    {
        var alert = new SloAlert(
            "checkout-success|checkout|*|page@1", AlertStatus.Firing, AlertSeverity.Page, "checkout", "*", "checkout-success",
            ImmutableSortedDictionary<string, double>.Empty.Add("1h", 15), ["5m", "1h"], 2.44, At, null, "team-payments", null,
            new CustomerImpact(180, 0, 9), ["d-bad"], "Page");

        Assert.Matches(@"FIRING\s+│\s+page\s+│\s+checkout-success\s+│\s+checkout\s+│\s+\*\s+│\s+1h:15x\s+│\s+244%\s+│\s+11-23 12:34\s+│\s+-\s+│\s+180\s+│\s+d-bad", Text(LiveKpiView.Render([alert])));
        Assert.Contains("none firing", Text(LiveKpiView.Render(Array.Empty<SloAlert>())), StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_and_a_ticket_of_one_slo_firing_together_are_one_row_at_the_pages_figures()
    {
        SloAlert Alert(AlertSeverity severity, double burn, long affected) => new(
            $"checkout-success|checkout|*|{severity}@1", AlertStatus.Firing, severity, "checkout", "*", "checkout-success",
            ImmutableSortedDictionary<string, double>.Empty.Add("1h", burn), ["1h"], 2.44, At, null, "team-payments", null,
            new CustomerImpact(affected, 0, 9), [], severity.ToString());

        var text = Text(LiveKpiView.Render([Alert(AlertSeverity.Page, 15, 180), Alert(AlertSeverity.Ticket, 1.2, 40)]));

        Assert.Matches(@"FIRING\s+│\s+page\+ticket\s+│\s+checkout-success\s+│\s+checkout\s+│\s+\*\s+│\s+1h:15x\s+│\s+244%\s+│\s+11-23 12:34\s+│\s+-\s+│\s+180\s+│", text);
        Assert.Single(text.Split('\n'), line => line.Contains("FIRING", StringComparison.Ordinal));
    }

    [Fact]
    public void An_alerts_burn_rates_are_listed_from_the_shortest_window_to_the_longest()
    {
        var burn = ImmutableSortedDictionary<string, double>.Empty.Add("1d", 4).Add("1h", 15).Add("30m", 30).Add("3d", 1.3).Add("5m", 100).Add("6h", 2.5);
        var alert = new SloAlert(
            "checkout-success|checkout|*|page@1", AlertStatus.Firing, AlertSeverity.Page, "checkout", "*", "checkout-success",
            burn, ["5m", "1h"], 2.44, At, null, "team-payments", null, new CustomerImpact(180, 0, 9), [], "Page");

        Assert.Contains("5m:100x 30m:30x 1h:15x 6h:2.5x 1d:4x 3d:1.3x", Text(LiveKpiView.Render([alert])), StringComparison.Ordinal);
    }

    [Fact]
    public void An_incident_is_one_row_listing_its_alerts_and_annotations_with_its_impact_and_detection_delay()
    {
        var incident = new IncidentReport(
            "checkout@1", IncidentState.Open, AlertSeverity.Page, "checkout", "team-payments", At, null,
            [
                new IncidentAlert("a1", "checkout-success", "region=sa-east", AlertSeverity.Page, AlertStatus.Firing, At, Annotation: true),
                new IncidentAlert("a2", "checkout-success", "*", AlertSeverity.Page, AlertStatus.Firing, At.AddMinutes(5), Annotation: false),
            ],
            ["region=sa-east"], "region=sa-east", new CustomerImpact(1_200, 45_000, 12), [], "Page", TimeSpan.FromMinutes(4));

        Assert.Matches(
            @"OPEN\s+│\s+page\s+│\s+checkout\s+│\s+checkout-success in region=sa-east page \(annotation\); checkout-success page\s+│\s+region=sa-east\s+│\s+11-23 12:34\s+│\s+-\s+│\s+4 min\s+│\s+1200\s+│\s+450\.00",
            Text(LiveKpiView.Render([incident])));
        Assert.Contains("none open", Text(LiveKpiView.Render(Array.Empty<IncidentReport>())), StringComparison.Ordinal);
    }

    private static string Text(IRenderable table)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 250;
        console.Write(table);
        return writer.ToString();
    }
}
