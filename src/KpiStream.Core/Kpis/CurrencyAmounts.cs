using System.Collections.Immutable;

namespace KpiStream.Core.Kpis;

/// <summary>Money in minor units per ISO currency, with value equality and exact addition.</summary>
/// <remarks>
/// Held as parallel arrays sorted by currency (ordinal): a sum is added to for every successful
/// event with an amount, nearly always in one currency, and a sorted tree per addition cost more
/// than the rest of the counting.
/// </remarks>
public sealed class CurrencyAmounts : IEquatable<CurrencyAmounts>
{
    public static readonly CurrencyAmounts None = new([], []);

    private readonly string[] _currencies;
    private readonly long[] _amounts;
    private ImmutableSortedDictionary<string, long>? _asMap;

    private CurrencyAmounts(string[] currencies, long[] amounts)
    {
        _currencies = currencies;
        _amounts = amounts;
    }

    /// <summary>The amounts as a map, in the default string order of the currency codes.</summary>
    public ImmutableSortedDictionary<string, long> Amounts =>
        _asMap ??= ImmutableSortedDictionary.CreateRange(_currencies.Zip(_amounts, KeyValuePair.Create));

    public bool IsEmpty => _currencies.Length == 0;

    public static CurrencyAmounts Of(string currency, long amountMinor) => new([currency], [amountMinor]);

    public static CurrencyAmounts From(IEnumerable<KeyValuePair<string, long>> amounts) =>
        amounts.Aggregate(None, (sum, kv) => sum.Add(kv.Key, kv.Value));

    public CurrencyAmounts Add(string currency, long amountMinor) => Plus(Of(currency, amountMinor));

    public CurrencyAmounts Plus(CurrencyAmounts other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        if (_currencies.Length == 1 && other._currencies.Length == 1 && _currencies[0] == other._currencies[0])
        {
            return new([_currencies[0]], [checked(_amounts[0] + other._amounts[0])]);
        }

        return Merge(other);
    }

    public long this[string currency] => IndexOf(currency) is var i and >= 0 ? _amounts[i] : 0;

    public bool Equals(CurrencyAmounts? other) =>
        other is not null && _currencies.AsSpan().SequenceEqual(other._currencies) && _amounts.AsSpan().SequenceEqual(other._amounts);

    public override bool Equals(object? obj) => Equals(obj as CurrencyAmounts);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _currencies.Length; i++)
        {
            hash.Add(_currencies[i]);
            hash.Add(_amounts[i]);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(",", Amounts.Select(kv => $"{kv.Key}:{kv.Value}"));

    private int IndexOf(string currency) => Array.BinarySearch(_currencies, currency, StringComparer.Ordinal);

    private CurrencyAmounts Merge(CurrencyAmounts other)
    {
        var currencies = new string[_currencies.Length + other._currencies.Length];
        var amounts = new long[currencies.Length];
        int left = 0, right = 0, merged = 0;
        for (; left < _currencies.Length || right < other._currencies.Length; merged++)
        {
            var order = left == _currencies.Length ? 1
                : right == other._currencies.Length ? -1
                : string.CompareOrdinal(_currencies[left], other._currencies[right]);
            currencies[merged] = order <= 0 ? _currencies[left] : other._currencies[right];
            amounts[merged] = order switch
            {
                < 0 => _amounts[left++],
                > 0 => other._amounts[right++],
                _ => checked(_amounts[left++] + other._amounts[right++]),
            };
        }

        return merged == currencies.Length ? new(currencies, amounts) : new(currencies[..merged], amounts[..merged]);
    }
}
