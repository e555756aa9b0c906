using System.Globalization;

namespace KpiStream.TestSupport;

/// <summary>Reading samples out of Prometheus's text exposition format, as a scraper sees it.</summary>
public static class PrometheusText
{
    /// <summary>The values of the sample lines starting with <paramref name="prefix"/> (a name and a space for an unlabelled series, a name and a brace for labelled ones).</summary>
    public static IEnumerable<double> Samples(string exposition, string prefix) =>
        exposition.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
