using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary>Casualties' personal data is encrypted with a key kept outside the database (DESIGN section 7).</summary>
public sealed class PersonalDataTests
{
    private static async Task<TestDatabase> WithCasualtiesAsync()
    {
        var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        PersonalDataProtector.WriteKeyFile(t.FilePath + ".key");
        await t.ImportAsync(DatasetCatalog.Accidents, TestData.Programme("accidents.csv"));
        await t.ImportAsync(DatasetCatalog.Casualties, TestData.Programme("casualties-personal.csv"));
        return t;
    }

    [Fact]
    public async Task GeoPackage_OpenedWithoutTheKey_HoldsNoNamesBirthDatesOrInjuries()
    {
        await using var t = await WithCasualtiesAsync();
        var bytes = await File.ReadAllBytesAsync(t.FilePath!);
        foreach (var secret in new[] { "Oskaro", "Velnith", "Ilsabet", "Quorran", "1985-02-14", "amputation", "shrapnel" })
            bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).ShouldBe(-1, $"'{secret}' is readable in the .gpkg");
        (await t.CountAsync("casualty_personal_data")).ShouldBe(2);
    }

    [Fact]
    public async Task AgeAtTheAccident_IsDerivedFromTheDateOfBirth()
    {
        await using var t = await WithCasualtiesAsync();
        (await t.ScalarAsync("SELECT \"age\" FROM \"casualties\" WHERE \"id\" = 'CP1'")).ShouldBe(34, "born 1985-02-14, hurt 2019-04-28");
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE \"id\" = 'CP2' AND \"age\" IS NULL")).ShouldBe(1, "born in 1990, hurt in March 2020: 29 or 30");
    }

    [Fact]
    public async Task ExportWithTheKey_ReturnsThePersonalData_AndAuditsTheRead()
    {
        await using var t = await WithCasualtiesAsync();
        var file = Path.Combine(t.Directory, "casualties.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Casualties, file, IncludePersonalData: true, Access: Groundtruth.Application.Security.Access.Full("auditor")));
        var text = await File.ReadAllTextAsync(file);
        text.ShouldContain("Oskaro Velnith");
        text.ShouldContain("1985-02-14");
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"action\" = 'read_personal_data' AND \"actor\" = 'auditor'")).ShouldBe(1);
        var plain = Path.Combine(t.Directory, "plain.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Casualties, plain));
        (await File.ReadAllTextAsync(plain)).ShouldNotContain("Oskaro");
    }

    [Fact]
    public async Task PendingGeoJson_WithPersonalData_IsRefused_NotSilentlyDropped()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        PersonalDataProtector.WriteKeyFile(t.FilePath + ".key");
        await t.ImportAsync(DatasetCatalog.Accidents, TestData.Programme("accidents.csv"));
        var file = Path.Combine(t.Directory, "casualties.geojson");
        await File.WriteAllTextAsync(file, """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "CG1", "geometry": null,
               "properties": {"accident_id": "AC1", "outcome": "injured", "age": 30}},
              {"type": "Feature", "id": "CG2", "geometry": null,
               "properties": {"accident_id": "AC1", "outcome": "killed", "name": "Tamsor Quill"}}
            ]}
            """);
        var before = await t.FingerprintAsync();
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Casualties, file, pending: true));
        e.Problems.Single().Reason.ShouldContain("personal data cannot be submitted as pending");
        (await t.FingerprintAsync()).ShouldBe(before, "nothing is stored");
        // Without the personal value the same file is a pending submission.
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(", \"name\": \"Tamsor Quill\"", "", StringComparison.Ordinal));
        (await t.ImportAsync(DatasetCatalog.Casualties, file, pending: true)).SubmissionId.ShouldNotBeNull();
    }

    [Fact]
    public async Task PersonalData_WithoutAKey_IsRefused()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportAsync(DatasetCatalog.Accidents, TestData.Programme("accidents.csv"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Casualties, TestData.Programme("casualties-personal.csv")));
        e.Problems.ShouldAllBe(p => p.Reason.Contains("key"));
        (await t.CountAsync("casualties")).ShouldBe(0);
    }

    [Fact]
    public void Ciphertext_FromAnotherKey_DoesNotDecrypt()
    {
        var a = new PersonalDataProtector(PersonalDataProtector.NewKey());
        var b = new PersonalDataProtector(PersonalDataProtector.NewKey());
        var data = new Domain.CasualtyPersonalData("A Person", Domain.PartialDate.Parse("1970-01-02"), "none");
        a.Unprotect(a.Protect(data)).ShouldBe(data);
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => b.Unprotect(a.Protect(data)));
        a.KeyId.ShouldNotBe(b.KeyId);
    }
}
