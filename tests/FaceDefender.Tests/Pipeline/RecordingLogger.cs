using FaceDefender.Pipeline;
using Microsoft.Extensions.Logging;

namespace FaceDefender.Tests.Pipeline;

/// <summary>A logger that keeps every entry (level and formatted message), for tests of what a component logs.</summary>
internal class RecordingLogger : ILogger<BatchDeidentifier>, ILogger<FaceDeidentifier>
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>The same, registrable as the open generic <c>ILogger&lt;&gt;</c> in a service container.</summary>
internal sealed class RecordingLogger<T> : RecordingLogger, ILogger<T>;
