namespace KpiStream.Streaming.Runtime;

/// <summary>What <see cref="InputBackPressure.Check"/> asks of the stream thread.</summary>
internal enum InputChange
{
    None,
    Pause,
    Resume,
}
