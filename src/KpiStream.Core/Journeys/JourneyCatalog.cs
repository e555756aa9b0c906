using System.Collections.Frozen;

namespace KpiStream.Core.Journeys;

/// <summary>All configured journeys, looked up by name.</summary>
public sealed class JourneyCatalog
{
    private readonly FrozenDictionary<string, JourneySpec> _byName;

    public JourneyCatalog(IEnumerable<JourneySpec> journeys)
    {
        Journeys = journeys.ToArray();
        _byName = Journeys.ToFrozenDictionary(j => j.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<JourneySpec> Journeys { get; }

    public JourneySpec? Find(string name) => _byName.GetValueOrDefault(name);
}
