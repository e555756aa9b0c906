namespace KpiStream.Processor.Configuration;

/// <summary>Base URLs of HTTP services the processor talks to, such as a schema registry.</summary>
public static class HttpUrls
{
    /// <summary>
    /// Parses an absolute http(s) URL and gives its path a trailing slash, so that relative
    /// request paths resolve beneath it (a registry behind a proxy at <c>http://host/registry</c>).
    /// </summary>
    public static bool TryParse(string text, out Uri url)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }

        url = parsed.AbsolutePath.EndsWith('/') ? parsed : new UriBuilder(parsed) { Path = parsed.AbsolutePath + "/" }.Uri;
        return true;
    }
}
