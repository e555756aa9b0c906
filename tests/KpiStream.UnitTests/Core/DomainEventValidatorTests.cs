using System.Collections.Immutable;
using KpiStream.Core.Journeys;
using KpiStream.Core.Validation;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Core;

public class DomainEventValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T12:00:00Z");
    private readonly DomainEventValidator _validator = new(SampleJourneys.Catalog, EventTimeBounds.Default);

    [Fact]
    public void A_declared_event_of_a_known_journey_is_valid_with_its_role()
    {
        var (valid, rejection) = _validator.Validate(Events.Of("e1", "checkout_failed", "checkout", "s1", Now), Now);

        Assert.Null(rejection);
        Assert.Equal("checkout", valid!.Journey.Name);
        Assert.Equal(EventRole.Failure, valid.Role);
    }

    [Theory]
    [InlineData("", "checkout_started", "checkout", "s1", 0, DeadLetterReason.MissingField, "event_id is empty")]
    [InlineData("e1", "checkout_started", "checkout", " ", 0, DeadLetterReason.MissingField, "session_id is empty")]
    [InlineData("e1", "checkout_started", null, "s1", 0, DeadLetterReason.MissingJourney, "journey is null or empty")]
    [InlineData("e1", "checkout_started", "refund", "s1", 0, DeadLetterReason.UnknownJourney, "journey 'refund' is not configured")]
    [InlineData("e1", "login_attempted", "checkout", "s1", 0, DeadLetterReason.UnknownEventType, "event type 'login_attempted' is not declared by journey 'checkout'")]
    [InlineData("e1", "checkout_started", "checkout", "s1", -7 * 24 * 60 - 1, DeadLetterReason.TimestampOutOfRange, null)]
    [InlineData("e1", "checkout_started", "checkout", "s1", 61, DeadLetterReason.TimestampOutOfRange, null)]
    [InlineData("e1", "search_started", "search", "s1", 0, DeadLetterReason.MissingSegmentAttribute, "attribute 'experiment' that journey 'search' segments by is missing")]
    public void Invalid_events_are_rejected_with_reason_and_detail(string id, string type, string? journey, string session, int minutesFromNow, DeadLetterReason reason, string? detail)
    {
        var (valid, rejection) = _validator.Validate(Events.Of(id, type, journey, session, Now.AddMinutes(minutesFromNow)), Now);

        Assert.Null(valid);
        Assert.Equal(reason, rejection!.Reason);
        if (detail is not null)
        {
            Assert.Equal(detail, rejection.Detail);
        }
    }

    [Fact]
    public void Event_time_bounds_are_inclusive()
    {
        Assert.True(EventTimeBounds.Default.Admits(Now.AddDays(-7), Now));
        Assert.True(EventTimeBounds.Default.Admits(Now.AddHours(1), Now));
        Assert.False(EventTimeBounds.Default.Admits(Now.AddHours(1).AddMilliseconds(1), Now));
    }

    [Theory]
    [InlineData("", "web", "region")]
    [InlineData("eu-west", " ", "device")]
    public void An_empty_built_in_segment_value_is_an_invalid_value_naming_the_attribute(string region, string device, string attribute)
    {
        var (valid, rejection) = _validator.Validate(Events.Of("e1", "checkout_started", "checkout", "s1", Now, region: region, device: device), Now);

        Assert.Null(valid);
        Assert.Equal(new Rejection(DeadLetterReason.InvalidValue, $"attribute '{attribute}' that journey 'checkout' segments by is empty"), rejection);
    }

    [Fact]
    public void A_segment_value_longer_than_128_characters_or_a_currency_that_is_not_an_iso_code_is_an_invalid_value()
    {
        var (_, longRegion) = _validator.Validate(Events.Of("e1", "checkout_started", "checkout", "s1", Now, region: new string('r', 129)), Now);
        var (fits, _) = _validator.Validate(Events.Of("e1", "checkout_started", "checkout", "s1", Now, region: new string('r', 128)), Now);
        var (_, currency) = _validator.Validate(Events.Of("e1", "checkout_completed", "checkout", "s1", Now, amount: 5, currency: "euro"), Now);

        Assert.Equal(new Rejection(DeadLetterReason.InvalidValue, "attribute 'region' is 129 characters, at most 128 are accepted"), longRegion);
        Assert.NotNull(fits);
        Assert.Equal(new Rejection(DeadLetterReason.InvalidValue, "currency is not an ISO 4217 code of three capital letters (got 4 characters 'euro')"), currency);
        var (_, huge) = _validator.Validate(Events.Of("e1", "checkout_completed", "checkout", "s1", Now, amount: long.MaxValue, currency: "EUR"), Now);
        Assert.Equal(new Rejection(DeadLetterReason.InvalidValue, $"amount_minor {long.MaxValue} is beyond ±1000000000000"), huge);
    }

    [Fact]
    public void An_empty_free_form_segment_value_is_an_invalid_value()
    {
        var attributes = ImmutableSortedDictionary<string, string>.Empty.Add("experiment", "");
        var (_, rejection) = _validator.Validate(Events.Of("e1", "search_started", "search", "s1", Now, attributes: attributes), Now);

        Assert.Equal(DeadLetterReason.InvalidValue, rejection!.Reason);
    }

    [Fact]
    public void A_free_form_segment_attribute_makes_the_event_valid()
    {
        var attributes = ImmutableSortedDictionary<string, string>.Empty.Add("experiment", "b");
        var (valid, _) = _validator.Validate(Events.Of("e1", "search_started", "search", "s1", Now, attributes: attributes), Now);

        Assert.NotNull(valid);
    }
}
