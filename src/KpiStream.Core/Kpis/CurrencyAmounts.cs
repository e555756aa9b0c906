using System.Collections.Immutable;

namespace KpiStream.Core.Kpis;

/// <summary>Money in minor units per ISO currency, with value equality and exact addition.</summary>
public sealed class CurrencyAmounts : IEquatable<CurrencyAmounts>
{
    public static readonly CurrencyAmounts None = new(ImmutableSortedDictionary<string, long>.Empty);

    private CurrencyAmounts(ImmutableSortedDictionary<string, long> amounts) => Amounts = amounts;

    public ImmutableSortedDictionary<string, long> Amounts { get; }

    public static CurrencyAmounts Of(string currency, long amountMinor) =>
        None.Add(currency, amountMinor);

    public static CurrencyAmounts From(IEnumerable<KeyValuePair<string, long>> amounts) =>
        amounts.Aggregate(None, (sum, kv) => sum.Add(kv.Key, kv.Value));

    public CurrencyAmounts Add(string currency, long amountMinor) =>
        new(Amounts.SetItem(currency, checked(Amounts.GetValueOrDefault(currency) + amountMinor)));

    public CurrencyAmounts Plus(CurrencyAmounts other) =>
        other.Amounts.IsEmpty ? this
        : Amounts.IsEmpty ? other
        : new(PointwiseSum.Of(Amounts, other.Amounts));

    public long this[string currency] => Amounts.GetValueOrDefault(currency);

    public bool Equals(CurrencyAmounts? other) =>
        other is not null && Amounts.Count == other.Amounts.Count
        && Amounts.All(kv => other.Amounts.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => Equals(obj as CurrencyAmounts);

    public override int GetHashCode() =>
        Amounts.Aggregate(0, (hash, kv) => HashCode.Combine(hash, kv.Key, kv.Value));

    public override string ToString() => string.Join(",", Amounts.Select(kv => $"{kv.Key}:{kv.Value}"));
}
