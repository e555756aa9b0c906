using KpiStream.Processor.Forwarding;

namespace KpiStream.UnitTests.Forwarding;

public class AlertmanagerTrustTests
{
    private const string Source = "alertmanager.properties";

    [Fact]
    public void A_ca_file_that_is_missing_or_holds_no_certificate_fails_start_up_naming_it()
    {
        var missing = Assert.Throws<ArgumentException>(() => AlertmanagerTrust.From(new Dictionary<string, string> { ["ssl.ca.location"] = "/nonexistent/ca.pem" }, Source));
        Assert.StartsWith($"{Source}: ssl.ca.location: expected a PEM file of CA certificates, could not read '/nonexistent/ca.pem': ", missing.Message, StringComparison.Ordinal);

        var empty = Path.GetTempFileName();
        File.WriteAllText(empty, "# a key, not a certificate\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var none = Assert.Throws<ArgumentException>(() => AlertmanagerTrust.From(new Dictionary<string, string> { ["ssl.ca.location"] = empty }, Source));
        Assert.Equal($"{Source}: ssl.ca.location: expected a PEM file of CA certificates, '{empty}' holds none.", none.Message);

        Assert.Null(AlertmanagerTrust.From(new Dictionary<string, string>(), Source));
    }
}
