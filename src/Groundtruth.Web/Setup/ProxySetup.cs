using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Groundtruth.Web.Setup;

/// <summary>
/// Behind a TLS proxy (docs/install.md, "Behind a TLS proxy"): the proxies named in <see cref="TrustedProxiesKey"/> are
/// believed about the client's address (<c>X-Forwarded-For</c>, so sign-in attempts are limited per client, not for
/// every client at once) and the scheme (<c>X-Forwarded-Proto</c>, so the sign-in cookie is marked Secure and HSTS is
/// sent). Nobody else is: without the setting the headers are ignored, as a client could write them.
/// </summary>
public static class ProxySetup
{
    /// <summary>The proxies' addresses or networks, separated by commas: <c>127.0.0.1</c>, <c>10.0.0.2,10.0.1.0/24</c>.</summary>
    public const string TrustedProxiesKey = "Groundtruth:TrustedProxies";

    /// <summary>The networks <paramref name="setting"/> names; none when it is empty.</summary>
    /// <exception cref="InvalidOperationException">A part is neither an address nor a network; the message starts with the setting's name.</exception>
    public static IReadOnlyList<System.Net.IPNetwork> TrustedProxies(string? setting)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var part in (setting ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(part, out var address) && !part.Contains('/', StringComparison.Ordinal))
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else if (System.Net.IPNetwork.TryParse(part, out var network))
                networks.Add(network);
            else
                throw new InvalidOperationException($"{TrustedProxiesKey}: '{part}' is not an address or a network such as 10.0.0.2 or 10.0.0.0/8");
        }
        return networks;
    }

    /// <summary>Believes the trusted proxies' <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>; first in the pipeline.</summary>
    public static WebApplication UseGroundtruthProxy(this WebApplication app)
    {
        var proxies = TrustedProxies(app.Configuration[TrustedProxiesKey]);
        if (proxies.Count == 0) return app;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in proxies) options.KnownIPNetworks.Add(network);
        app.UseForwardedHeaders(options);
        return app;
    }
}
