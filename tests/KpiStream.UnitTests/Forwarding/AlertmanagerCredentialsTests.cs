using KpiStream.Processor.Forwarding;

namespace KpiStream.UnitTests.Forwarding;

public class AlertmanagerCredentialsTests
{
    private const string Source = "/etc/kpistream/alertmanager/alertmanager.properties";

    [Fact]
    public void Basic_auth_is_the_user_and_password_in_base64_and_a_bearer_token_is_sent_as_it_is()
    {
        var basic = AlertmanagerCredentials.From(new Dictionary<string, string> { ["basic.auth.user.info"] = "kpistream:pa:ss" }, Source)!;
        // base64("kpistream:pa:ss"): the password may hold a colon, the user may not.
        Assert.Equal(("Basic", "a3Bpc3RyZWFtOnBhOnNz"), (basic.Header.Scheme, basic.Header.Parameter));

        var bearer = AlertmanagerCredentials.From(new Dictionary<string, string> { ["bearer.auth.token"] = "t0ken" }, Source)!;
        Assert.Equal(("Bearer", "t0ken"), (bearer.Header.Scheme, bearer.Header.Parameter));

        Assert.Null(AlertmanagerCredentials.From(new Dictionary<string, string>(), Source));
        // Options records print their properties: the secret must not be among them.
        Assert.Equal("Basic credentials", basic.ToString());
        Assert.DoesNotContain("a3Bpc3RyZWFt", new AlertmanagerOptions { Credentials = basic }.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password", "s3cret", "password is not an Alertmanager client setting; expected basic.auth.user.info=USER:PASSWORD or bearer.auth.token=TOKEN, or ssl.ca.location=PEM FILE.")]
    [InlineData("basic.auth.user.info", "s3cret", "basic.auth.user.info: expected USER:PASSWORD.")]
    [InlineData("basic.auth.user.info", ":s3cret", "basic.auth.user.info: expected USER:PASSWORD.")]
    [InlineData("bearer.auth.token", "", "bearer.auth.token: expected a token, got an empty value.")]
    public void A_wrong_setting_is_refused_naming_the_file_and_key_but_never_the_value(string key, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => AlertmanagerCredentials.From(new Dictionary<string, string> { [key] = value }, Source));

        Assert.Equal($"{Source}: {message}", error.Message);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Basic_auth_and_a_bearer_token_together_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => AlertmanagerCredentials.From(new Dictionary<string, string> { ["basic.auth.user.info"] = "a:b", ["bearer.auth.token"] = "t" }, Source));

        Assert.StartsWith($"{Source}: both basic.auth.user.info and bearer.auth.token are set", error.Message, StringComparison.Ordinal);
    }
}
