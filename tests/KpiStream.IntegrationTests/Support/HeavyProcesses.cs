namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Tests that run processors flat out (the exactly-once proofs, the sped-up demo scenarios) share
/// this collection, so xunit runs them one at a time: on two cores, two of them at once starve each
/// other and time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HeavyProcesses
{
    public const string Name = "heavy processes, one at a time";
}
