using KpiStream.Processor.Hosting;
using KpiStream.Streaming.Runtime;

namespace KpiStream.UnitTests.Streaming;

public sealed class InstanceStateDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"kpistream-state-tests-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("team a")]
    public void A_hostile_application_id_is_refused_in_one_line_naming_the_option(string applicationId)
    {
        var error = Assert.Throws<ArgumentException>(new RunOptions { ApplicationId = applicationId }.Validate);

        Assert.Equal($"--application-id: expected {KafkaNames.Rule}, got '{applicationId}'.", error.Message);
    }

    [Fact]
    public void An_application_id_of_250_characters_is_refused_and_one_whose_topics_fit_is_accepted()
    {
        Assert.Throws<ArgumentException>(new RunOptions { ApplicationId = new string('a', 250) }.Validate);
        // The repartition topic adds 32 characters to the id.
        Assert.Throws<ArgumentException>(new RunOptions { ApplicationId = new string('a', 249 - 31) }.Validate);
        new RunOptions { ApplicationId = new string('a', 249 - 32) }.Validate();
    }

    [Theory]
    [InlineData("team/1.")]
    [InlineData("../")]
    public void A_topic_prefix_that_makes_illegal_topic_names_is_refused(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(new RunOptions { Topics = KpiStream.Processor.Conventions.TopicNames.WithPrefix(prefix) }.Validate);

        Assert.StartsWith("--topic-prefix: expected letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_application_directory_stays_inside_the_state_directory()
    {
        Assert.Equal(Path.Combine(_root, "team-a"), InstanceStateDirectory.ApplicationDirectory(_root, "team-a"));
        Assert.Throws<ArgumentException>(() => InstanceStateDirectory.ApplicationDirectory(_root, ".."));
        Assert.Throws<ArgumentException>(() => InstanceStateDirectory.ApplicationDirectory(_root, "a/../../b"));
    }

    [Fact]
    public void Start_up_removes_only_marked_directories_of_dead_instances()
    {
        var application = Path.Combine(_root, "app");
        var own = InstanceStateDirectory.Create(application);
        var dead = Path.Combine(application, $"999999999-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, InstanceStateDirectory.MarkerFile), "999999999");
        var unmarked = Path.Combine(application, $"999999998-{Guid.NewGuid():N}");
        Directory.CreateDirectory(unmarked);
        var foreign = Path.Combine(application, "precious");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "file.txt"), "keep me");

        InstanceStateDirectory.RemoveThoseOfDeadInstances(application);

        Assert.True(Directory.Exists(own));
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(unmarked));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(foreign, "file.txt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
