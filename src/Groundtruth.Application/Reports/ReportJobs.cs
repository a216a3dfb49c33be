using System.Collections.Concurrent;
using System.Globalization;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Reports;

/// <summary>What a user asks for on the Reports page.</summary>
/// <param name="Report"><c>situation</c> or <c>article7</c>.</param>
/// <param name="Format"><c>pdf</c>, <c>html</c>, <c>csv</c>, or (Article 7) <c>docx</c>.</param>
/// <param name="From">Start of the situation report's period (YYYY, YYYY-MM or YYYY-MM-DD); none: from the first record.</param>
/// <param name="To">End of the period, inclusive; none: to the last record.</param>
/// <param name="Year">Article 7's reporting year.</param>
/// <param name="Language">The report's language (<see cref="ReportText.Languages"/>).</param>
public sealed record ReportOrder(string Report, string Format, string? From = null, string? To = null, int? Year = null, string? Language = null)
{
    public static IReadOnlyList<string> Reports { get; } = ["situation", "article7"];

    public static IReadOnlyList<string> FormatsOf(string report) => report == "article7" ? ["pdf", "docx", "html", "csv"] : ["pdf", "html", "csv"];
}

/// <summary>A report being built or built: its stage and share done, or why it failed.</summary>
/// <param name="State"><c>computing</c>, <c>ready</c> or <c>failed</c>.</param>
public sealed record ReportJobStatus(string State, string? Stage, double? Fraction, string? Error);

/// <summary>A built report, ready to download.</summary>
public sealed record ReportFile(string Path, string FileName, string ContentType, ReportOrder Order, DateTimeOffset ComputedAt);

/// <summary>
/// Reports built in the background for the web, one job per request, each visible only to the user who asked for it.
/// The files live in a private temporary folder of this host; a job and its file are forgotten after a day.
/// </summary>
public sealed class ReportJobs(DatabaseTarget target, TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);
    private readonly Lazy<string> _folder = new(() => PrivateFiles.CreateTemporaryFolder("groundtruth-reports-"));
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    private sealed class Job(string actor, ReportOrder order, DateTimeOffset started)
    {
        public string Actor { get; } = actor;
        public ReportOrder Order { get; } = order;
        public DateTimeOffset Started { get; } = started;
        public volatile ReportJobStatus Status = new("computing", "starting", 0, null);
        public ReportFile? File { get; set; }
    }

    /// <summary>Checks the order, starts building it and returns the job's id.</summary>
    /// <exception cref="ForbiddenException">The caller is not an analyst or above.</exception>
    /// <exception cref="InvalidRequestException">The order names an unknown report, format or language, or a bad period or year.</exception>
    public string Start(Access access, ReportOrder order, ReportBranding branding)
    {
        access.Require(access.MayProduceReports, "producing reports");
        var report = order.Report.Trim().ToLowerInvariant();
        if (!ReportOrder.Reports.Contains(report))
            throw new InvalidRequestException("report", $"'{order.Report}' is not a report; use situation or article7");
        var format = order.Format.Trim().ToLowerInvariant();
        if (!ReportOrder.FormatsOf(report).Contains(format))
            throw new InvalidRequestException("format", $"'{order.Format}' is not a format of this report; use {string.Join(", ", ReportOrder.FormatsOf(report))}");
        _ = ReportText.For(order.Language);
        if (report == "article7" && order.Year is null) throw new InvalidRequestException("year", "the reporting year is required");
        order = order with { Report = report, Format = format, Language = string.IsNullOrWhiteSpace(order.Language) ? "en" : order.Language.Trim().ToLowerInvariant() };

        Forget();
        var id = Guid.NewGuid().ToString("N");
        var job = new Job(access.Actor, order, clock.GetUtcNow());
        _jobs[id] = job;
        _ = Task.Run(() => RunAsync(id, job, branding));
        return id;
    }

    private async Task RunAsync(string id, Job job, ReportBranding branding)
    {
        var order = job.Order;
        var progress = new Progress(job);
        var stem = order.Report == "article7"
            ? $"article7-{order.Year}-{order.Language}"
            : $"situation-{order.From ?? "start"}-{order.To ?? "end"}-{order.Language}";
        var path = Path.Combine(_folder.Value, $"{id}.{order.Format}");
        try
        {
            DateTimeOffset computedAt;
            if (order.Report == "article7")
            {
                computedAt = (await new Article7Handler(target, clock).HandleAsync(new Article7Request(order.Year!.Value, path, order.Language, branding), progress)).ComputedAt;
            }
            else if (order.Format == "csv")
            {
                var report = await new SituationReportHandler(target, clock).BuildAsync(new SituationReportRequest(path, order.From, order.To, order.Language), progress);
                await System.IO.File.WriteAllTextAsync(path, ReportCsv.Render(report));
                computedAt = report.ComputedAt;
            }
            else
            {
                computedAt = (await new SituationReportHandler(target, clock).HandleAsync(new SituationReportRequest(path, order.From, order.To, order.Language, branding), progress)).ComputedAt;
            }
            var type = order.Format switch
            {
                "pdf" => "application/pdf",
                "html" => "text/html",
                "csv" => "text/csv",
                _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            };
            job.File = new ReportFile(path, $"groundtruth-{stem}.{order.Format}", type, order, computedAt);
            job.Status = new ReportJobStatus("ready", null, 1, null);
        }
        catch (Exception e) when (e is InvalidRequestException or IOException)
        {
            job.Status = new ReportJobStatus("failed", null, null, e.Message);
        }
#pragma warning disable CA1031 // a background job must record any failure for the page, never end the host
        catch (Exception e)
        {
            job.Status = new ReportJobStatus("failed", null, null, $"the report could not be built: {e.Message}");
        }
#pragma warning restore CA1031
    }

    private sealed class Progress(Job job) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => job.Status = new ReportJobStatus("computing", value.Stage, value.Fraction, null);
    }

    /// <summary>The job's status, or null when there is no such job of this user.</summary>
    public ReportJobStatus? Status(Access access, string id) => Find(access, id)?.Status;

    /// <summary>The built file, or null when there is no such job of this user or it is not ready.</summary>
    public ReportFile? File(Access access, string id) => Find(access, id)?.File;

    /// <summary>The order of a job of this user.</summary>
    public ReportOrder? Order(Access access, string id) => Find(access, id)?.Order;

    private Job? Find(Access access, string id)
    {
        access.Require(access.MayProduceReports, "producing reports");
        return _jobs.TryGetValue(id, out var job) && job.Actor == access.Actor ? job : null;
    }

    private void Forget()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, job) in _jobs)
        {
            if (now - job.Started < KeepFor || job.Status.State == "computing") continue;
            if (_jobs.TryRemove(id, out var gone) && gone.File is { } f) System.IO.File.Delete(f.Path);
        }
    }

    /// <summary>The audit entry's detail for a download.</summary>
    public static object AuditDetail(ReportFile file) => new
    {
        report = file.Order.Report,
        format = file.Order.Format,
        language = file.Order.Language,
        from = file.Order.From,
        to = file.Order.To,
        year = file.Order.Year,
        computed_at = file.ComputedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };
}

/// <summary>The situation report's figures as CSV: one section per table (the headline figures first), in the report's language as the PDF shows them.</summary>
public static class ReportCsv
{
    public static string Render(SituationReport report)
    {
        var sb = new System.Text.StringBuilder();
        static string C(string s) => s.Contains(',') || s.Contains('"') || s.Contains('\n') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
        sb.Append("section,").AppendLine(string.Join(',', "figure", "value"));
        foreach (var h in report.Headlines) sb.AppendLine(string.Join(',', C(report.Text["HeadlineFigures"]), C(h.Label), C(h.Value)));
        string section = "";
        foreach (var block in report.Blocks)
        {
            if (block is ReportHeading heading) section = heading.Text;
            if (block is not ReportTable t) continue;
            sb.AppendLine().Append(C(section)).Append(',').AppendLine(string.Join(',', t.Header.Select(C)));
            foreach (var row in t.Rows) sb.Append(C(section)).Append(',').AppendLine(string.Join(',', row.Select(C)));
        }
        return sb.ToString();
    }
}
