using System.Net;
using System.Net.Http.Json;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// Issue 14: behind a TLS proxy every request came from the proxy's address (one sign-in limit shared by every client)
/// over plain HTTP (no HSTS, no Secure cookie). With <c>Groundtruth:TrustedProxies</c> the proxy's forwarded headers are
/// believed; from anyone else they are ignored.
/// </summary>
public sealed class ProxyTests
{
    private const string Proxy = "10.0.0.2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The host with 2 sign-in attempts a minute, whose connections come from the address in <c>X-Test-Peer</c>.</summary>
    private sealed class ProxiedFactory(string database, string? trusted) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting(GroundtruthSetup.DatabaseKey, database).UseSetting(SignInSetup.AttemptsPerMinuteKey, "2");
            if (trusted is not null) builder.UseSetting(ProxySetup.TrustedProxiesKey, trusted);
            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, PeerAddress>());
        }
    }

    /// <summary>The in-process server has no client address; this gives each request the one its test names.</summary>
    private sealed class PeerAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Peer"].ToString() is { Length: > 0 } peer ? peer : Proxy);
                return following(context);
            });
            next(app);
        };
    }

    private static async Task<HttpStatusCode> FailedSignInAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/token") { Content = JsonContent.Create(new { name = "nobody", password = "wrong" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<bool> HstsAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return response.Headers.TryGetValues("Strict-Transport-Security", out var values) && values.Single().Contains("max-age=", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrustedProxysClients_AreLimitedEachOnTheirOwn_AndTold_HttpsOnly()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        await using var factory = new ProxiedFactory(db.Setting, $"{Proxy}, 10.1.0.0/16");
        using var client = factory.CreateClient();

        (await FailedSignInAsync(client, "203.0.113.7")).ShouldBe(HttpStatusCode.Unauthorized);
        (await FailedSignInAsync(client, "203.0.113.7")).ShouldBe(HttpStatusCode.Unauthorized);
        (await FailedSignInAsync(client, "203.0.113.7")).ShouldBe(HttpStatusCode.TooManyRequests, "the third attempt of one client in a minute");
        (await FailedSignInAsync(client, "198.51.100.9")).ShouldBe(HttpStatusCode.Unauthorized, "another client behind the same proxy has its own limit");
        (await HstsAsync(client)).ShouldBeTrue("the proxy said the client came over https");
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnyoneButATrustedProxy_AreIgnored()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        foreach (var trusted in new[] { null, "10.9.9.9" })
        {
            await using var factory = new ProxiedFactory(db.Setting, trusted);
            using var client = factory.CreateClient();
            (await FailedSignInAsync(client, "203.0.113.7")).ShouldBe(HttpStatusCode.Unauthorized);
            (await FailedSignInAsync(client, "203.0.113.8")).ShouldBe(HttpStatusCode.Unauthorized);
            (await FailedSignInAsync(client, "203.0.113.9")).ShouldBe(HttpStatusCode.TooManyRequests, $"trusted: {trusted ?? "none"}: a forged address does not escape the limit");
            (await HstsAsync(client)).ShouldBeFalse($"trusted: {trusted ?? "none"}: the request came over http");
        }
    }

    [Theory]
    [InlineData("10.0.0.2", 1)]
    [InlineData("10.0.0.2, 10.1.0.0/16;::1", 3)]
    [InlineData("", 0)]
    public void TrustedProxies_ReadsAddressesAndNetworks(string setting, int count) =>
        ProxySetup.TrustedProxies(setting).Count.ShouldBe(count);

    [Fact]
    public void TrustedProxies_RefusesAName_NamingTheSetting() =>
        Should.Throw<InvalidOperationException>(() => ProxySetup.TrustedProxies("proxy.example"))
            .Message.ShouldStartWith("Groundtruth:TrustedProxies: 'proxy.example' is not an address");
}
