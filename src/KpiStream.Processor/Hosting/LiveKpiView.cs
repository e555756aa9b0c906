using System.Globalization;
using KpiStream.Core.Incidents;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Kpis.Alerting;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace KpiStream.Processor.Hosting;

/// <summary>
/// Prints the latest KPI window per journey, and its weakest segments, on a fixed refresh. On a
/// terminal the table is redrawn in place; with redirected output it is appended, less often.
/// </summary>
public sealed class LiveKpiView(LatestKpiBoard board, TimeProvider clock) : BackgroundService
{
    private const int WeakestSegments = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interactive = !Console.IsOutputRedirected;
        var refresh = interactive ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);
        if (!interactive)
        {
            // A log file has no width; the default 80 columns would fold every cell.
            AnsiConsole.Profile.Width = 200;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(refresh, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var latest = board.Snapshot();
            if (latest.Count == 0)
            {
                continue;
            }

            if (interactive)
            {
                AnsiConsole.Clear();
            }

            AnsiConsole.Write(Render(latest));
            AnsiConsole.Write(Render(board.Slos()));
            AnsiConsole.Write(Render(board.Incidents()));
            AnsiConsole.Write(Render(board.Alerts()));
        }
    }

    internal static Table Render(IReadOnlyList<KpiWindow> latest)
    {
        var table = new Table().Title("KpiStream — latest 1-minute windows (still open: conversions may grow)").Border(TableBorder.Rounded);
        foreach (var column in new[] { "journey", "segment", "window (UTC)", "attempts", "success rate", "started", "converted", "conversion", "revenue", "late", "dup" })
        {
            table.AddColumn(column);
        }

        var journeys = latest.GroupBy(w => w.Journey).Select(g =>
        {
            var newest = g.Max(w => w.Window.Start);
            var merged = KpiCounters.Sum(g.Where(w => w.Window.Start == newest).Select(w => w.Counters));
            return (Journey: g.Key, Window: newest, Counters: merged);
        });
        foreach (var (journey, window, counters) in journeys)
        {
            AddRow(table, $"[bold]{journey}[/]", "[bold]all[/]", window, counters);
        }

        foreach (var weak in latest.Where(w => w.Counters.SuccessRate is not null).OrderBy(w => w.Counters.SuccessRate).Take(WeakestSegments))
        {
            AddRow(table, weak.Journey, Markup.Escape(weak.Segment.Key), weak.Window.Start, weak.Counters);
        }

        return table;
    }

    internal static Table Render(IReadOnlyList<SloStatus> slos)
    {
        var table = new Table().Title("SLOs, journey-wide, at the last closed minute (event time, UTC)").Border(TableBorder.Rounded);
        foreach (var column in new[] { "journey", "slo", "objective", "good (period)", "budget left", "burn 5m", "burn 1h", "burn 6h", "burn 3d", "as of" })
        {
            table.AddColumn(column);
        }

        foreach (var s in slos)
        {
            string Burn(string window) => s.BurnRates.TryGetValue(window, out var rate)
                ? rate >= 6 ? $"[red]{rate:0.0}x[/]" : rate >= 1 ? $"[yellow]{rate:0.0}x[/]" : string.Create(CultureInfo.InvariantCulture, $"{rate:0.0}x")
                : "-";
            table.AddRow(
                Markup.Escape(s.Journey),
                Markup.Escape(s.Slo),
                s.Objective.ToString("0.###%", CultureInfo.InvariantCulture),
                s.Budget.Period.Total == 0 ? "-" : ((double)s.Budget.Period.Good / s.Budget.Period.Total).ToString("0.###%", CultureInfo.InvariantCulture),
                s.Budget.Remaining < 0 ? $"[red]{s.Budget.Remaining.ToString("0%", CultureInfo.InvariantCulture)}[/]" : s.Budget.Remaining.ToString("0%", CultureInfo.InvariantCulture),
                Burn("5m"),
                Burn("1h"),
                Burn("6h"),
                Burn("3d"),
                s.At.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>One row per incident, its alerts in it: one outage reads as one problem, not as a storm of alerts.</summary>
    internal static Table Render(IReadOnlyList<IncidentReport> incidents)
    {
        var table = new Table().Title("Incidents — open, then recently closed (event time, UTC)").Border(TableBorder.Rounded);
        foreach (var column in new[] { "state", "severity", "journey", "alerts", "worst segment", "opened", "closed", "detected after", "affected", "revenue at risk" })
        {
            table.AddColumn(column);
        }

        if (incidents.Count == 0)
        {
            table.AddRow("[green]none open[/]", "", "", "", "", "", "", "", "", "");
        }

        foreach (var i in incidents)
        {
            var alerts = i.Alerts.Select(a =>
                $"{a.Slo}{(a.SegmentKey == Incident.JourneyWide ? "" : $" in {a.SegmentKey}")} {a.Severity.ToString().ToLowerInvariant()}{(a.Status == AlertStatus.Resolved ? " resolved" : "")}{(a.Annotation ? " (annotation)" : "")}");
            table.AddRow(
                i.State == IncidentState.Open ? "[red bold]OPEN[/]" : "[green]closed[/]",
                i.Severity == AlertSeverity.Page ? "[red]page[/]" : "[yellow]ticket[/]",
                Markup.Escape(i.Journey),
                Markup.Escape(string.Join("; ", alerts)),
                Markup.Escape(i.WorstSegment ?? "-"),
                i.OpenedAt.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
                i.ClosedAt?.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                i.DetectionDelay is { } delay ? string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMinutes:0} min") : "-",
                i.Impact.AffectedSessions.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{i.Impact.RevenueAtRiskMinor / 100.0:0.00}"));
        }

        return table;
    }

    internal static Table Render(IReadOnlyList<SloAlert> alerts)
    {
        var table = new Table().Title("SLO alerts — firing (annotations are in their incident's row), then recently resolved (event time, UTC)").Border(TableBorder.Rounded);
        foreach (var column in new[] { "state", "severity", "slo", "journey", "segment", "burn rates", "budget spent", "started", "ended", "affected", "deploys" })
        {
            table.AddColumn(column);
        }

        if (alerts.Count == 0)
        {
            table.AddRow("[green]none firing[/]", "", "", "", "", "", "", "", "", "", "");
        }

        // The page and the ticket of one subject that fire together are one row: one problem, at its most urgent.
        var rows = alerts
            .Select((alert, index) => (Alert: alert, Key: alert.Status == AlertStatus.Firing ? $"{alert.Journey}|{alert.Slo}|{alert.SegmentKey}" : $"resolved {index}"))
            .GroupBy(row => row.Key, row => row.Alert);
        foreach (var row in rows)
        {
            var a = row.MinBy(alert => alert.Severity)!;
            var firing = a.Status == AlertStatus.Firing;
            table.AddRow(
                firing ? "[red bold]FIRING[/]" : "[green]resolved[/]",
                string.Join("+", row.Select(alert => alert.Severity).Distinct().Order().Select(severity => severity == AlertSeverity.Page ? "[red]page[/]" : "[yellow]ticket[/]")),
                Markup.Escape(a.Slo),
                Markup.Escape(a.Journey),
                Markup.Escape(a.SegmentKey),
                Markup.Escape(string.Join(" ", DurationText.ShortestFirst(a.BurnRates).Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Key}:{b.Value:0.#}x")))),
                a.BudgetConsumed.ToString("0%", CultureInfo.InvariantCulture),
                a.StartedAt.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
                a.EndedAt?.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                a.Impact.AffectedSessions.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(" ", a.Deploys)));
        }

        return table;
    }

    private static void AddRow(Table table, string journey, string segment, DateTimeOffset window, KpiCounters c) =>
        table.AddRow(
            journey,
            segment,
            window.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
            c.Attempts.ToString(CultureInfo.InvariantCulture),
            Percent(c.SuccessRate, 0.99),
            c.SessionsStarted.ToString(CultureInfo.InvariantCulture),
            c.SessionsConverted.ToString(CultureInfo.InvariantCulture),
            Percent(c.ConversionRate, 0),
            Markup.Escape(string.Join(" ", c.Revenue.Amounts.Select(kv => $"{kv.Value / 100.0:0.00} {kv.Key}"))),
            c.LateRecords.ToString(CultureInfo.InvariantCulture),
            c.DuplicateRecords.ToString(CultureInfo.InvariantCulture));

    private static string Percent(double? rate, double warnBelow) =>
        rate is not { } r ? "-" : r < warnBelow ? $"[red]{r:P1}[/]" : $"{r:P1}";
}
