namespace FaceDefender.Pipeline;

/// <summary>One photo of a batch: where it is read from and where its de-identified PNG goes.</summary>
/// <param name="Source">The photo's path (any format <see cref="DeidentificationOptions.Decoding"/> allows).</param>
/// <param name="Output">The output PNG's path; its folder is created when needed.</param>
/// <param name="Patient">What is known of this patient; null for <see cref="BatchOptions.Patient"/>.</param>
public sealed record BatchItem(string Source, string Output, PatientInfo? Patient = null)
{
    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png"];

    /// <summary>The photo's path.</summary>
    public string Source { get; init; } = !string.IsNullOrWhiteSpace(Source) ? Source : throw new ArgumentException("The source path is blank.", nameof(Source));

    /// <summary>The output PNG's path.</summary>
    public string Output { get; init; } = !string.IsNullOrWhiteSpace(Output) ? Output : throw new ArgumentException("The output path is blank.", nameof(Output));

    /// <summary>
    /// The photos (.jpg, .jpeg, .png, any case) of <paramref name="inputFolder"/> and its sub-folders, each with its output
    /// <c>NAME.deid.png</c> in the same relative folder under <paramref name="outputFolder"/>, in ordinal order of the
    /// relative path. Photos whose names would collide (<c>a.jpg</c> and <c>a.png</c>) keep their extension
    /// (<c>a.jpg.deid.png</c>); names too long for the file system are shortened with a hash. Links to folders are not
    /// followed, hidden entries are skipped, and an output folder inside the input folder is left out.
    /// </summary>
    /// <param name="inputFolder">The folder to list.</param>
    /// <param name="outputFolder">The folder the outputs go to.</param>
    /// <exception cref="ArgumentException">A blank path, or the input folder does not exist.</exception>
    public static IReadOnlyList<BatchItem> FromFolder(string inputFolder, string outputFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        string input = Path.GetFullPath(inputFolder);
        string output = Path.GetFullPath(outputFolder);
        if (!Directory.Exists(input))
        {
            throw new ArgumentException($"The input folder '{inputFolder}' does not exist.", nameof(inputFolder));
        }

        var listing = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
            MatchCasing = MatchCasing.CaseInsensitive,
        };
        var relatives = Directory.EnumerateFiles(input, "*", listing)
            .Where(f => PhotoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Where(f => !f.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(input, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] names = BatchNaming.OutputNames(relatives);
        return relatives.Select((r, i) => new BatchItem(Path.Combine(input, r), Path.Combine(output, names[i]))).ToList();
    }
}

/// <summary>Settings of a <see cref="BatchDeidentifier"/> run.</summary>
public sealed record BatchOptions
{
    /// <summary>The defaults: no overwriting, one photo per logical processor, patients unknown.</summary>
    public static BatchOptions Default { get; } = new();

    /// <summary>Redo photos whose output exists (replacing it atomically). Off by default: existing outputs are
    /// <see cref="BatchOutcome.Skipped"/>, so running a stopped batch again resumes it.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Photos processed at once; at least 1. Default: the number of logical processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>What is known of the patients whose items say nothing (<see cref="BatchItem.Patient"/> null).</summary>
    public PatientInfo? Patient { get; init; }

    /// <summary>Called with each source before it is processed (a test hook for failures inside the batch).</summary>
    internal Action<string>? BeforeItem { get; init; }

    internal void Validate()
    {
        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be at least 1 (was {MaxDegreeOfParallelism}).", nameof(MaxDegreeOfParallelism));
        }
    }
}

/// <summary>What became of one photo of a batch.</summary>
public enum BatchOutcome
{
    /// <summary>De-identified; the output was written.</summary>
    Done,

    /// <summary>The photo gave an outcome other than success (<see cref="BatchItemResult.Status"/>: no face, bad pose,
    /// unreadable...); nothing was written.</summary>
    Failed,

    /// <summary>The output existed and <see cref="BatchOptions.Overwrite"/> was off; nothing was read or written.</summary>
    Skipped,

    /// <summary>An exception other than a photo outcome (a disk full, a permission, a bug); the message says which.
    /// Nothing was written.</summary>
    Error,

    /// <summary>The batch was cancelled before this photo was done; nothing was written.</summary>
    NotProcessed,
}

/// <summary>The result of one photo of a batch.</summary>
/// <param name="Item">The item.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Status">The pipeline's status when the photo was processed (<see cref="BatchOutcome.Done"/> or
/// <see cref="BatchOutcome.Failed"/>); otherwise null.</param>
/// <param name="Message">What was done, or why not.</param>
/// <param name="AvatarId">The avatar used, when done.</param>
/// <param name="TotalMs">The pipeline's time for this photo, in milliseconds (0 when not processed).</param>
/// <param name="Warnings">The pipeline's warnings.</param>
public sealed record BatchItemResult(BatchItem Item, BatchOutcome Outcome, DeidentificationStatus? Status, string Message, string? AvatarId,
    double TotalMs, DeidentificationWarnings Warnings);

/// <summary>A batch's progress, reported once per finished photo (in the order they finish).</summary>
/// <param name="Completed">Photos finished so far, this one included.</param>
/// <param name="Total">Photos in the batch.</param>
/// <param name="Latest">The photo that just finished.</param>
public readonly record struct BatchProgress(int Completed, int Total, BatchItemResult Latest);

/// <summary>The results of a batch, one per item in the order given.</summary>
/// <param name="Items">One result per item.</param>
/// <param name="Cancelled">Whether the batch was cancelled (the items it left are <see cref="BatchOutcome.NotProcessed"/>).</param>
public sealed record BatchResult(IReadOnlyList<BatchItemResult> Items, bool Cancelled)
{
    /// <summary>How many items had <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The outcome to count.</param>
    public int Count(BatchOutcome outcome) => Items.Count(i => i.Outcome == outcome);

    /// <summary>Whether every item is done or was skipped (its output exists).</summary>
    public bool AllDone => !Cancelled && Items.All(i => i.Outcome is BatchOutcome.Done or BatchOutcome.Skipped);
}
