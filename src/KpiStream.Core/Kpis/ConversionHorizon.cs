using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>
/// When a window's KPIs can no longer change. Sessions that start in the window convert until the
/// journey's conversion timeout has passed; the success that converts the last of them lies in a
/// window that closes at most one window size (rounding) plus grace after that.
/// </summary>
public static class ConversionHorizon
{
    public static DateTimeOffset FinalAt(TumblingWindow window, TimeSpan conversionTimeout, TimeSpan grace)
    {
        var size = window.Size.Ticks;
        var roundedTimeout = TimeSpan.FromTicks((conversionTimeout.Ticks + size - 1) / size * size);
        return window.End + roundedTimeout + window.Size + grace;
    }
}
