using KpiStream.Processor.Cli;
using KpiStream.Processor.Hosting;
using KpiStream.Processor.Kpis;
using KpiStream.Streaming.Runtime;

namespace KpiStream.UnitTests.Cli;

public class RunCommandTests
{
    [Theory]
    [InlineData(new[] { "--schema-registry-url", "http://localhost:8081" }, "http://localhost:8081/")]
    [InlineData(new[] { "--schema-registry-url", "http://localhost:8081/" }, "http://localhost:8081/")]
    [InlineData(new[] { "--schema-registry-url=https://registry.example.com:8443/sr" }, "https://registry.example.com:8443/sr/")]
    public void A_schema_registry_url_parses_into_a_base_address_that_relative_paths_resolve_under(string[] args, string expected)
    {
        var command = RunCommand.Create();
        var parse = command.Parse(args);

        Assert.Empty(parse.Errors);
        var url = parse.GetValue<Uri?>("--schema-registry-url");
        Assert.Equal(expected, url!.ToString());
        Assert.Equal(expected + "schemas/ids/7", new Uri(url, "schemas/ids/7").ToString());
    }

    [Theory]
    [InlineData("localhost:8081")]
    [InlineData("ftp://registry:21")]
    [InlineData("/schemas")]
    public void A_schema_registry_url_that_is_not_absolute_http_is_refused_naming_the_option(string value)
    {
        var parse = RunCommand.Create().Parse(["--schema-registry-url", value]);

        Assert.Equal(
            [$"--schema-registry-url: expected an absolute http(s) URL such as http://schema-registry:8081, got '{value}'."],
            parse.Errors.Select(e => e.Message));
    }

    [Fact]
    public void A_commit_interval_outside_the_supported_range_is_refused_at_start_up_naming_the_setting()
    {
        var options = new StreamsOptions { ApplicationId = "a", BootstrapServers = "b:9092", StateDirectory = "/tmp", CommitInterval = TimeSpan.FromMinutes(5) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("Streams option CommitInterval: expected 10 ms to 1 min, got 00:05:00.", error.Message);
        Assert.Equal("--commit-interval: expected 10ms to 1m, got 5m.", Assert.Throws<ArgumentException>(new RunOptions { CommitInterval = TimeSpan.FromMinutes(5) }.Validate).Message);
        Assert.Empty(RunCommand.Create().Parse(["--commit-interval", "250ms"]).Errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void A_stream_thread_count_outside_the_supported_range_is_refused_naming_the_option(int threads)
    {
        var options = new RunOptions { StreamThreads = threads };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal($"--stream-threads: expected 1 to 64, got {threads}.", error.Message);
        Assert.Throws<ArgumentException>(new StreamsOptions { ApplicationId = "a", BootstrapServers = "b:9092", StateDirectory = "/tmp", StreamThreads = threads }.Validate);
        Assert.Empty(RunCommand.Create().Parse(["--stream-threads", "2", "--partitions", "12"]).Errors);
    }

    [Fact]
    public void An_idle_advance_that_is_not_positive_is_refused_at_start_up_naming_the_setting()
    {
        Assert.Empty(RunCommand.Create().Parse(["--idle-advance-after", "10m"]).Errors);
        var options = new KpiOptions { IdleAdvanceAfter = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("--idle-advance-after: expected a positive duration, got 0s.", error.Message);
    }

    [Fact]
    public void A_fetch_wait_outside_the_supported_range_is_refused_at_start_up_naming_the_setting()
    {
        var options = new StreamsOptions { ApplicationId = "a", BootstrapServers = "b:9092", StateDirectory = "/tmp", FetchWaitMax = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("Streams option FetchWaitMax: expected 1 ms to 5 min, got 00:00:00.", error.Message);
        (options with { FetchWaitMax = TimeSpan.FromMilliseconds(10) }).Validate();
        (options with { FetchWaitMax = null }).Validate();
    }
}
