using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Groundtruth.Web.Tests;

/// <summary>One user per role in every test database, named after the role; <see cref="Keeper"/> is an analyst granted personal data.</summary>
public static class TestUsers
{
    public const string Password = "correct horse battery staple";
    public const string Keeper = "keeper";

    /// <summary>Every caller the authorization matrix tries: each rank, the personal-data keeper, and nobody.</summary>
    public static readonly IReadOnlyList<string> Callers = [.. Roles.Ranks, Keeper, "anonymous"];

    public static async Task AddAllAsync(DatabaseTarget target)
    {
        var handler = new AddUserHandler(target, TimeProvider.System);
        foreach (var role in Roles.Ranks) await handler.HandleAsync(new AddUserRequest(role, [role], Password, "test"));
        await handler.HandleAsync(new AddUserRequest(Keeper, [Roles.Analyst, Roles.PersonalData], Password, "test"));
    }

    /// <summary>A client carrying a bearer token of the user named <paramref name="caller"/>; no token for <c>anonymous</c>.</summary>
    public static async Task<HttpClient> ClientAsAsync<TEntry>(this WebApplicationFactory<TEntry> factory, string caller) where TEntry : class
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (caller == "anonymous") return client;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, caller));
        return client;
    }

    public static async Task<string> TokenAsync(HttpClient client, string name, string password = Password)
    {
        using var response = await client.PostAsJsonAsync("/api/token", new { name, password });
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }
}
