using System.Text;
using FsCheck.Xunit;
using KpiStream.Processor.Configuration;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Configuration;

/// <summary>Journeys files built to hurt the reader: each ends in file:line:column messages, never in another exception, a crash or a blow-up.</summary>
public class HostileJourneysFileTests
{
    private const long AllocationBound = 64L * 1024 * 1024;

    [Theory]
    [InlineData("journeys: ", "[", "]", 2)]
    [InlineData("journeys: ", "{a: ", "}", 2)]
    [InlineData("journeys:\n", "- ", "", 3)]
    public void A_file_nested_a_hundred_thousand_levels_deep_is_refused_at_the_level_too_deep(string key, string open, string close, int line)
    {
        var yaml = $"apiVersion: kpistream/v1\n{key}" + string.Concat(Enumerable.Repeat(open, 100_000)) + "1" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        var error = Refused(yaml);
        Assert.Matches($@"^deep\.yaml:{line}:\d+: nested more than 64 levels deep; expected a journeys file$", Assert.Single(error.Errors));
    }

    [Fact]
    public void Aliases_that_would_expand_to_ten_to_the_twenty_nine_nodes_are_read_as_written()
    {
        var yaml = new StringBuilder("apiVersion: kpistream/v1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 30; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        yaml.Append("journeys: *a29\n");
        var error = Refused(yaml.ToString());
        Assert.Contains("deep.yaml:2:1: a0: unknown field; expected one of apiVersion, impactWeights, personalFields, alertPolicies, journeys", error.Errors);
        Assert.Contains(error.Errors, e => e.StartsWith("deep.yaml:", StringComparison.Ordinal) && e.EndsWith(": journeys[0]: expected a mapping of fields", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_over_a_mebibyte_is_refused_unread()
    {
        var yaml = SampleJourneys.Yaml + "\n# " + new string('x', 1024 * 1024) + "\n";
        Assert.Equal([$"deep.yaml: {yaml.Length} characters; expected a journeys file of at most 1048576 bytes"], Refused(yaml).Errors);
    }

    /// <summary>The sample file with random characters deleted, inserted, replaced or lines repeated: read, or refused with positions.</summary>
    [Property(MaxTest = 500)]
    public bool A_mangled_journeys_file_is_read_or_refused_with_positions_and_nothing_else(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(SampleJourneys.Yaml);
        const string Alphabet = " \n\t:-[]{}&*!|>'\"#%@`,?0aZ.";
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    text[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    var lines = text.ToString().Split('\n');
                    var line = random.Next(lines.Length);
                    text = new StringBuilder(string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))));
                    break;
            }
        }

        try
        {
            JourneysFile.Parse(text.ToString(), "mangled.yaml");
            return true;
        }
        catch (ConfigurationException e)
        {
            return e.Errors.Count > 0 && e.Errors.All(m => m.StartsWith("mangled.yaml:", StringComparison.Ordinal));
        }
    }

    private static ConfigurationException Refused(string yaml)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "deep.yaml"));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationBound);
        return error;
    }
}
