using KpiStream.Streaming.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace KpiStream.UnitTests.Streaming;

public sealed class InputBackPressureTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_full_queue_pauses_input_until_half_of_what_was_in_flight_is_acknowledged()
    {
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 10);
        pressure.QueueFull();

        Assert.Equal(InputChange.Pause, pressure.Check(out _));
        Assert.True(pressure.IsPaused);
        Acknowledge(pressure, 4);
        _clock.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(InputChange.None, pressure.Check(out _));
        Acknowledge(pressure, 1);
        _clock.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal(InputChange.Resume, pressure.Check(out var pausedFor));
        Assert.Equal(TimeSpan.FromMilliseconds(50), pausedFor);
        Assert.False(pressure.IsPaused);
        Assert.Equal(InputChange.None, pressure.Check(out _));
    }

    [Fact]
    public void A_queue_that_is_empty_again_by_the_check_pauses_nothing()
    {
        // As after a commit, which flushes the producer: the changelog writes may fill the queue, the flush empties it.
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 3);
        pressure.QueueFull();
        Acknowledge(pressure, 3);

        Assert.Equal(InputChange.None, pressure.Check(out _));
        Assert.False(pressure.IsPaused);
    }

    [Fact]
    public void A_queue_flushed_after_filling_pauses_nothing_though_the_next_batch_sends_again()
    {
        // The queue fills during a commit, the commit's flush empties it, then the next batch sends two window records.
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 3);
        pressure.QueueFull();
        Acknowledge(pressure, 3);
        pressure.Flushed();
        Send(pressure, 2);

        Assert.Equal(InputChange.None, pressure.Check(out _));
    }

    [Fact]
    public void A_queue_emptied_by_the_wait_for_room_still_pauses_input_after_the_batch()
    {
        // Mid-batch: the queue is full, waiting for room serves every delivery report, and the batch sends on.
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 4);
        pressure.QueueFull();
        Acknowledge(pressure, 4);
        Send(pressure, 1);

        Assert.Equal(InputChange.Pause, pressure.Check(out _));
    }

    [Fact]
    public void Without_a_full_queue_input_flows_however_much_is_in_flight()
    {
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 100_000);

        Assert.Equal(InputChange.None, pressure.Check(out _));
    }

    [Fact]
    public void A_replaced_producer_has_nothing_in_flight_so_a_paused_input_resumes()
    {
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 8);
        pressure.QueueFull();
        Assert.Equal(InputChange.Pause, pressure.Check(out _));

        pressure.ProducerReplaced();

        Assert.Equal(InputChange.Resume, pressure.Check(out _));
    }

    [Fact]
    public void A_full_queue_reported_once_pauses_once()
    {
        var pressure = new InputBackPressure(_clock);
        Send(pressure, 4);
        pressure.QueueFull();
        Assert.Equal(InputChange.Pause, pressure.Check(out _));
        Acknowledge(pressure, 4);
        Assert.Equal(InputChange.Resume, pressure.Check(out _));
        Send(pressure, 4);

        Assert.Equal(InputChange.None, pressure.Check(out _));
    }

    private static void Send(InputBackPressure pressure, int records) => Repeat(records, pressure.Sent);

    private static void Acknowledge(InputBackPressure pressure, int records) => Repeat(records, pressure.Acknowledged);

    private static void Repeat(int times, Action action)
    {
        for (var i = 0; i < times; i++)
        {
            action();
        }
    }
}
