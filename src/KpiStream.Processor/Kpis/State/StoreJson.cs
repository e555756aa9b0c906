using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using KpiStream.Core.Kpis;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.State;

/// <summary>JSON serdes for the KPI topology's store entries.</summary>
public static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new CurrencyAmountsConverter(), new LatencyHistogramConverter() } };

    public static IStoreSerde<T> For<T>() => new JsonStoreSerde<T>(Options);

    private sealed class CurrencyAmountsConverter : JsonConverter<CurrencyAmounts>
    {
        public override CurrencyAmounts Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CurrencyAmounts.From(JsonSerializer.Deserialize<Dictionary<string, long>>(ref reader, options) ?? []);

        public override void Write(Utf8JsonWriter writer, CurrencyAmounts value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Amounts, options);
    }

    private sealed class LatencyHistogramConverter : JsonConverter<LatencyHistogram>
    {
        public override LatencyHistogram Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<ImmutableSortedDictionary<long, long>>(ref reader, options) ?? ImmutableSortedDictionary<long, long>.Empty);

        public override void Write(Utf8JsonWriter writer, LatencyHistogram value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Buckets, options);
    }
}
