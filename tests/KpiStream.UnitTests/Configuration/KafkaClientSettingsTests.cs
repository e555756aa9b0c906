using KpiStream.Processor.Configuration;

namespace KpiStream.UnitTests.Configuration;

public class KafkaClientSettingsTests
{
    [Fact]
    public void A_settings_file_adds_its_key_value_lines_to_the_command_lines_settings()
    {
        var file = Write("# SASL from a mounted secret", "", "security.protocol = SASL_SSL", "sasl.password=pa=ss");

        var settings = KafkaClientSettings.WithFile(KafkaClientSettings.Parse(["acks=all"]), file);

        Assert.Equal(
            new Dictionary<string, string> { ["acks"] = "all", ["security.protocol"] = "SASL_SSL", ["sasl.password"] = "pa=ss" },
            settings);
    }

    [Theory]
    [InlineData("sasl.password", ":1: expected key=value with a librdkafka setting as the key.")]
    [InlineData("acks=1", ":1: acks is set with -X too; set it in one place.")]
    [InlineData("linger.ms=1\nlinger.ms=2", ":2: linger.ms is set twice; set it in one place.")]
    public void A_bad_line_is_named_by_file_and_line_without_its_value(string content, string expected)
    {
        var file = Write(content.Split('\n'));

        var error = Assert.Throws<ArgumentException>(() => KafkaClientSettings.WithFile(KafkaClientSettings.Parse(["acks=all"]), file));

        Assert.Equal(file + expected, error.Message);
    }

    [Fact]
    public void Environment_variables_under_the_prefix_are_settings_named_by_the_rest_in_lower_case_with_dots()
    {
        var environment = new Dictionary<string, string> { ["KPISTREAM_KAFKA_SASL_PASSWORD"] = "pw", ["KPISTREAM_KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL", ["KPISTREAM_KAFKA_"] = "x", ["PATH"] = "/bin" };

        var settings = SettingsFile.WithEnvironment(KafkaClientSettings.Parse(["acks=all"]), "KPISTREAM_KAFKA_", "-X", environment);

        Assert.Equal(new Dictionary<string, string> { ["acks"] = "all", ["sasl.password"] = "pw", ["security.protocol"] = "SASL_SSL" }, settings);
        var twice = Assert.Throws<ArgumentException>(() => SettingsFile.WithEnvironment(KafkaClientSettings.Parse(["sasl.password=other"]), "KPISTREAM_KAFKA_", "-X", environment));
        Assert.Equal("KPISTREAM_KAFKA_SASL_PASSWORD: sasl.password is set with -X too; set it in one place.", twice.Message);
    }

    private static string Write(params string[] lines)
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, lines);
        return file;
    }
}
