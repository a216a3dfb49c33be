namespace Groundtruth.Domain;

/// <summary>A batch of incoming data (an import, a form, an API call) and its state.</summary>
public sealed class Submission
{
    public long Id { get; set; }
    public required string Dataset { get; set; }
    public SubmissionState State { get; set; }
    /// <summary>The file it came from, if any.</summary>
    public string? FileName { get; set; }
    public string? Source { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTime SubmittedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? Reason { get; set; }
    public int RecordCount { get; set; }
}
