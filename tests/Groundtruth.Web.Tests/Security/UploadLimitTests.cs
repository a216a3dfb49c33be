using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// Uploads on Kestrel as deployed: files up to the documented 200 MB are taken (the server's own default stops at 30 MB),
/// a larger request is refused with a 413 that says the limit, and odd file names get an answer, never a 500.
/// </summary>
public sealed class UploadLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private TestDatabase _database = null!;
    private WebProcess _web = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(withHazards: false);
        _web = WebProcess.Start(_database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", _database.Path);
        var (url, _) = await _web.ListeningAsync(Startup);
        // The refused upload asks "Expect: 100-continue" and must wait for the server's answer before sending its 201 MB:
        // with HttpClient's default one-second wait, a loaded CI machine started sending, the server answered 413 and
        // closed, and the send failed with a broken pipe instead of reading the 413.
        _client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(3) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TestUsers.TokenAsync(_client, Roles.Editor));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _web.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task FileOf31Megabytes_IsTakenToTheImporter()
    {
        // One hazard whose name is 31 MB: the importer answers with its problems (422), so the request got through.
        var csv = new StringBuilder("id,name,classification,status,recorded_on,wkt\nHA-9,");
        csv.Append('x', 31 * 1024 * 1024);
        csv.Append(",confirmed,open,2020-01-01,\"POLYGON((-24.9 -30.9, -24.88 -30.9, -24.88 -30.88, -24.9 -30.9))\"\n");
        using var response = await Upload("big.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())));

        response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity], await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task RequestAboveTheLimit_IsRefusedWith413_NamingTheLimit()
    {
        using var content = new StreamContent(new ZeroStream(201L * 1024 * 1024));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads/hazards") { Content = Form("huge.csv", content) };
        request.Headers.ExpectContinue = true;
        using var response = await _client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("detail").GetString()!.ShouldContain("200 MB");
    }

    [Theory]
    [InlineData(300)]
    [InlineData(20)]
    public async Task LongOrAccentedFileNames_GetTheImportersAnswer(int length)
    {
        var name = new string('é', length) + "\u202Egnp.csv";
        using var response = await Upload(name, new StringContent("id,name\nHA-1,Río\n"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync(Ct));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var first = problem.GetProperty("problems")[0].GetString()!;
        first.ShouldStartWith(new string('é', Math.Min(length, 20)));
        first.ShouldNotContain("\u202E");
        first.Split(':')[0].Length.ShouldBeLessThanOrEqualTo(100);
    }

    private async Task<HttpResponseMessage> Upload(string name, HttpContent file) =>
        await _client.PostAsync("/api/uploads/hazards", Form(name, file), Ct);

    private static MultipartFormDataContent Form(string name, HttpContent file)
    {
        var form = new MultipartFormDataContent();
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name);
        return form;
    }

    /// <summary>A body of zeros of a stated length, made as it is read.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
