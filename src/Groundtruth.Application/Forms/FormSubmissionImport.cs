using System.IO.Compression;
using System.Xml;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Forms;

/// <summary>Submissions of Groundtruth field forms to import: one instance <c>.xml</c>, a folder of them (ODK Collect's
/// <c>instances/</c>, an ODK Briefcase export) or a <c>.zip</c> of them.</summary>
public sealed record FormSubmissionRequest(string Path, bool DryRun = false, bool Pending = false, string Actor = "cli", string? Source = null);

/// <summary>
/// Imports field-form submissions into their datasets, every submission of every form all or nothing together: an
/// accident and its casualties (the <c>casualties</c> repeat) in one transaction, a land release with the hazardous
/// area recorded in the same batch. Each submission is one file of the import (its own submission and audit entry);
/// problems name the submission file (<c>batch.zip:inner.xml</c> inside a zip), its line and the field.
/// </summary>
public sealed class FormSubmissionImport(DatabaseTarget target, TimeProvider clock)
{
    public async Task<IReadOnlyList<ImportResult>> HandleAsync(FormSubmissionRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var files = Files(request.Path);
        if (files.Count == 0)
            throw new ImportRejectedException([new ImportProblem(request.Path, 0, null, null, "no form submission (.xml) found")], 1);
        var submissions = new List<(string Name, byte[] Content, FieldForm Form, string Id)>();
        var problems = new List<ImportProblem>();
        foreach (var (name, content) in files)
        {
            try
            {
                var (formId, id) = Peek(content);
                var form = FieldForm.ByFormId(formId);
                if (form is null) problems.Add(new ImportProblem(name, 1, "id", formId, "not a submission of a Groundtruth field form; forms: " + string.Join(", ", FieldForm.Datasets.Select(d => FieldForm.For(d).FormId))));
                else submissions.Add((name, content, form, id));
            }
            catch (XmlException e)
            {
                problems.Add(new ImportProblem(name, e.LineNumber, null, null, "not a readable form submission (XML): " + e.Message));
            }
        }
        if (problems.Count > 0) throw new ImportRejectedException(problems, problems.Count);

        // Records entered in the same batch may reference each other (casualties their accident, a land release its area).
        var entered = submissions.GroupBy(s => s.Form.Dataset.Name)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(s => s.Id).ToHashSet(StringComparer.Ordinal));
        var requests = new List<ImportRequest>();
        foreach (var dataset in DatasetCatalog.All)
        {
            foreach (var s in submissions.Where(s => s.Form.Dataset == dataset).OrderBy(s => s.Name, StringComparer.Ordinal))
                requests.Add(Request(request, dataset, s.Name, s.Content, entered, part: null));
            foreach (var s in submissions.Where(s => s.Form.Repeat?.Dataset == dataset).OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                if (!HasRepeatEntries(s.Content, s.Form.Repeat!.Name)) continue;
                requests.Add(Request(request, dataset, s.Name, s.Content, entered, s.Form.Repeat.Name));
            }
        }
        return await new ImportHandler(target, clock).HandleTogetherAsync(requests, progress, ct);
    }

    private static ImportRequest Request(FormSubmissionRequest request, DatasetSpec dataset, string name, byte[] content,
        IReadOnlyDictionary<string, IReadOnlySet<string>> entered, string? part) =>
        new(dataset, name, DryRun: request.DryRun, Pending: request.Pending, Actor: request.Actor, Source: request.Source,
            EnteredWith: entered, Content: content, Part: part);

    /// <summary>The submission files under <paramref name="path"/>, named as problems will name them.</summary>
    private static List<(string Name, byte[] Content)> Files(string path)
    {
        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path, "*.xml", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(f => (f, File.ReadAllBytes(f)))];
        }
        if (!File.Exists(path)) throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "the file or folder does not exist")], 1);
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return [(path, File.ReadAllBytes(path))];
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var list = new List<(string, byte[])>();
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                using var stream = entry.Open();
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                list.Add(($"{path}:{entry.FullName}", memory.ToArray()));
            }
            return list;
        }
        catch (InvalidDataException e)
        {
            throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "not a readable zip file: " + e.Message)], 1);
        }
    }

    /// <summary>The form id and instance id of a submission, read from its root and <c>meta/instanceID</c>.</summary>
    private static (string? FormId, string Id) Peek(byte[] content)
    {
        using var reader = XmlReader.Create(new MemoryStream(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        reader.MoveToContent();
        var formId = reader.GetAttribute("id");
        var id = "";
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "instanceID")
            {
                id = reader.ReadElementContentAsString().Trim();
                break;
            }
        }
        return (formId, id.StartsWith("uuid:", StringComparison.Ordinal) ? id[5..] : id);
    }

    private static bool HasRepeatEntries(byte[] content, string repeat)
    {
        using var reader = XmlReader.Create(new MemoryStream(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == repeat && !reader.IsEmptyElement) return true;
        }
        return false;
    }
}
