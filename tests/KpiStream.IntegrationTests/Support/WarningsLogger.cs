using System.Collections.Concurrent;
using KpiStream.Streaming.Runtime;
using Microsoft.Extensions.Logging;

namespace KpiStream.IntegrationTests.Support;

/// <summary>Keeps the runtime's warnings, formatted; drops the rest.</summary>
public sealed class WarningsLogger : ILogger<StreamsRuntime>
{
    public ConcurrentQueue<string> Warnings { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Warnings.Enqueue(formatter(state, exception));
        }
    }
}
