using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Setup;
using Groundtruth.Web.Resources;
using Groundtruth.Application.Resources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>
/// Upload through the importer (with an optional mapping); shows every problem, or the submission made. The guided step
/// (a file without a mapping) suggests one: a preview of the first rows, the column matches and the values to translate,
/// all editable, then a dry run, then the import. The file travels in the form between the steps, never to disk.
/// </summary>
[Authorize(Policy = Roles.Editor)]
[RequestSizeLimit(Uploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Uploads.MaxRequestBytes)]
public sealed class UploadModel(DatabaseTarget target, TimeProvider clock, Access access) : PageModel
{
    /// <summary>The guided step carries the file in the form: kept small (larger files go through the command line).</summary>
    public const int GuidedMaxBytes = 2 * 1024 * 1024;

    [BindProperty] public string Dataset { get; set; } = "hazards";
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public IFormFile? Mapping { get; set; }
    [BindProperty] public string? Crs { get; set; }
    [BindProperty] public bool Pending { get; set; }

    // The guided step's state: the file, and the user's column matches and value translations.
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public string? FileContent { get; set; }
    [BindProperty] public List<string> Headers { get; set; } = [];
    [BindProperty] public List<string> Matches { get; set; } = [];
    [BindProperty] public List<string> ValueFields { get; set; } = [];
    [BindProperty] public List<string> ValueSources { get; set; } = [];
    [BindProperty] public List<string> ValueTargets { get; set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];
    public int TotalProblems { get; private set; }
    public ImportResult? Result { get; private set; }
    public MappingSuggestion? Suggestion { get; private set; }
    /// <summary>The mapping as confirmed in the guided step (shown so it can be saved for the command line).</summary>
    public string? MappingJson { get; private set; }
    public bool IsApprover => access.MayDecide;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (DatasetCatalog.Find(Dataset) is not { } spec || Upload is null)
        {
            Problems = [Ui.T("upload.choose")];
            return Page();
        }
        await Guard(async () => Result = await Uploads.ImportAsync(target, clock, spec, Upload, Mapping, Crs, access.EntersPending(Pending), access, ct), Upload.FileName);
        return Page();
    }

    /// <summary>Step 1: reads the file and shows the suggested mapping to confirm.</summary>
    public async Task<IActionResult> OnPostSuggestAsync(CancellationToken ct)
    {
        if (DatasetCatalog.Find(Dataset) is not { } spec || Upload is null)
        {
            Problems = [Ui.T("upload.choose")];
            return Page();
        }
        if (Upload.Length > GuidedMaxBytes)
        {
            Problems = [Ui.T("upload.too_large", GuidedMaxBytes / 1024 / 1024, $"groundtruth import {spec.Name} FILE --suggest-map draft.map.json")];
            return Page();
        }
        using var buffer = new MemoryStream();
        await Upload.CopyToAsync(buffer, ct);
        FileName = Path.GetFileName(Upload.FileName);
        FileContent = Convert.ToBase64String(buffer.ToArray());
        await Guard(() =>
        {
            Suggestion = MappingSuggester.Suggest(spec, FileName, buffer.ToArray());
            MappingJson = MappingSuggestion.ToJson(Suggestion.ToMapping());
            return Task.CompletedTask;
        }, FileName);
        return Page();
    }

    /// <summary>Step 2 (dry run) and step 3 (import): the suggestion as the user confirmed it.</summary>
    public Task<IActionResult> OnPostCheckAsync(CancellationToken ct) => RunConfirmedAsync(dryRun: true, ct);

    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) => RunConfirmedAsync(dryRun: false, ct);

    private async Task<IActionResult> RunConfirmedAsync(bool dryRun, CancellationToken ct)
    {
        if (DatasetCatalog.Find(Dataset) is not { } spec || FileName is null || FileContent is null)
        {
            Problems = [Ui.T("upload.choose")];
            return Page();
        }
        byte[] content;
        try
        {
            content = Convert.FromBase64String(FileContent);
        }
        catch (FormatException)
        {
            return BadRequest();
        }
        var name = Uploads.SafeFileName(FileName);
        await Guard(async () =>
        {
            Suggestion = MappingSuggester.Suggest(spec, name, content);
            var columns = new Dictionary<string, string?>();
            for (var i = 0; i < Headers.Count && i < Matches.Count; i++) columns[Headers[i]] = string.IsNullOrEmpty(Matches[i]) ? null : Matches[i];
            var values = new Dictionary<string, IReadOnlyDictionary<string, string>>();
            for (var i = 0; i < ValueFields.Count && i < ValueSources.Count && i < ValueTargets.Count; i++)
            {
                if (!values.TryGetValue(ValueFields[i], out var table)) values[ValueFields[i]] = table = new Dictionary<string, string>();
                ((Dictionary<string, string>)table)[ValueSources[i]] = string.IsNullOrWhiteSpace(ValueTargets[i]) ? ImportMapping.Placeholder : ValueTargets[i].Trim();
            }
            var mapping = Suggestion.ToMapping(columns, values);
            MappingJson = MappingSuggestion.ToJson(mapping);
            Result = await new ImportHandler(target, clock).HandleAsync(
                new ImportRequest(spec, name, Crs: string.IsNullOrWhiteSpace(Crs) ? null : Crs, DryRun: dryRun, Pending: access.EntersPending(Pending),
                    Actor: access.Actor, Content: content, Mapping: mapping, Access: access), ct: ct);
        }, name);
        return Page();
    }

    /// <summary>The target chosen for <paramref name="header"/>: the user's, else the suggestion's.</summary>
    public string? MatchOf(string header)
    {
        var i = Headers.IndexOf(header);
        if (i >= 0 && i < Matches.Count) return string.IsNullOrEmpty(Matches[i]) ? null : Matches[i];
        return Suggestion?.Columns.FirstOrDefault(c => c.Source == header)?.Target;
    }

    /// <summary>The translation chosen for a value: the user's, else the suggestion's.</summary>
    public string ValueOf(string field, string source, string suggested)
    {
        for (var i = 0; i < ValueFields.Count && i < ValueSources.Count && i < ValueTargets.Count; i++)
        {
            if (ValueFields[i] == field && ValueSources[i] == source) return ValueTargets[i];
        }
        return suggested;
    }

    /// <summary>
    /// A problem in the reader's language: the file, line (or sheet!row), field and value as the file has them, the words
    /// around them and the reason translated (<see cref="ImportReasons"/>; a reason it does not know stays in English).
    /// </summary>
    public static string Describe(ImportProblem p)
    {
        var where = p.Location is not null ? $"{p.File}:{p.Location}" : p.Line > 0 ? $"{p.File}:{p.Line}" : p.File;
        var reason = ImportReasons.Localise(p.Reason);
        var value = p.Value is null ? null : p.Value.Length <= 60 ? p.Value : p.Value[..57] + "...";
        return (p.Field, value) switch
        {
            (null, null) => Ui.T("import.problem", where, reason),
            ({ } f, null) => Ui.T("import.problem_field", where, f, reason),
            (null, { } v) => Ui.T("import.problem_value", where, v, reason),
            ({ } f, { } v) => Ui.T("import.problem_field_value", where, f, v, reason),
        };
    }

    /// <summary>What an import did, in the reader's language (the command line prints <see cref="ImportResult.Summary"/>).</summary>
    public static string Summary(ImportResult r)
    {
        var verb = Ui.T(r.DryRun ? "import.validated" : r.Pending ? "import.submitted" : "import.imported");
        var dataset = DatasetCatalog.Find(r.Dataset) is { } spec ? Labels.Dataset(spec) : r.Dataset;
        var submission = r.SubmissionId is { } id ? Ui.T("import.submission", id) : "";
        return Ui.T("import.summary", dataset, r.RecordsRead, verb, r.Inserted, r.Updated, r.Unchanged, submission, Ui.Number(r.Elapsed.TotalSeconds, "F1"));
    }

    private async Task Guard(Func<Task> action, string fileName)
    {
        try
        {
            await action();
        }
        catch (ImportRejectedException e)
        {
            Problems = [.. e.Problems.Select(p => Describe(p with { File = Uploads.SafeFileName(fileName) }))];
            TotalProblems = e.TotalProblems;
        }
        catch (Exception e) when (e is InvalidRequestException or ForbiddenException)
        {
            Problems = [Groundtruth.Application.ErrorMessages.Localise(e)];
            TotalProblems = 1;
        }
    }
}
