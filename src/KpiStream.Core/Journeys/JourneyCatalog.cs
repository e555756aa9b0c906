using System.Collections.Frozen;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Journeys;

/// <summary>All configured journeys, looked up by name.</summary>
public sealed class JourneyCatalog
{
    private readonly FrozenDictionary<string, JourneySpec> _byName;

    public JourneyCatalog(IEnumerable<JourneySpec> journeys, ImpactWeights? impactWeights = null)
    {
        ImpactWeights = impactWeights ?? ImpactWeights.Default;
        Journeys = journeys.ToArray();
        _byName = Journeys.ToFrozenDictionary(j => j.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<JourneySpec> Journeys { get; }

    /// <summary>How reach and duration weigh when alerts across these journeys are ranked.</summary>
    public ImpactWeights ImpactWeights { get; }

    public JourneySpec? Find(string name) => _byName.GetValueOrDefault(name);
}
