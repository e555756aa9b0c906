namespace KpiStream.Core.Slos;

public enum AlertStatus
{
    Firing,
    Resolved,
}
