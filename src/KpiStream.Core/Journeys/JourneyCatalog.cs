using System.Collections.Frozen;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Journeys;

/// <summary>All configured journeys, looked up by name.</summary>
public sealed class JourneyCatalog
{
    private readonly FrozenDictionary<string, JourneySpec> _byName;

    public JourneyCatalog(IEnumerable<JourneySpec> journeys, ImpactWeights? impactWeights = null, PersonalFields? personalFields = null)
    {
        ImpactWeights = impactWeights ?? ImpactWeights.Default;
        PersonalFields = personalFields ?? PersonalFields.Default;
        Journeys = journeys.ToArray();
        _byName = Journeys.ToFrozenDictionary(j => j.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<JourneySpec> Journeys { get; }

    /// <summary>How reach and duration weigh when alerts across these journeys are ranked.</summary>
    public ImpactWeights ImpactWeights { get; }

    /// <summary>The fields of a domain event that identify a person and must not leave the processor as written.</summary>
    public PersonalFields PersonalFields { get; }

    public JourneySpec? Find(string name) => _byName.GetValueOrDefault(name);
}
