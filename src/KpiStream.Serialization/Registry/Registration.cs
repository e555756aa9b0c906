namespace KpiStream.Serialization.Registry;

/// <summary>What registering a schema under a subject came to: its id, or why the subject refused it.</summary>
public sealed record Registration(int? Id, string? Refusal)
{
    public static Registration Registered(int id) => new(id, null);

    public static Registration Refused(string reason) => new(null, reason);
}
