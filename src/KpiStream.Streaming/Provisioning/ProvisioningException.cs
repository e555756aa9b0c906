namespace KpiStream.Streaming.Provisioning;

/// <summary>The topics cannot be made ready: the cluster cannot be reached, or an existing topic disagrees with what the application needs.</summary>
public sealed class ProvisioningException(string message, Exception? inner = null) : Exception(message, inner);
