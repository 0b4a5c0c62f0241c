using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceDefender.Pipeline;

/// <summary>
/// De-identifies many photos with one <see cref="FaceDeidentifier"/>, in parallel, the way the <c>facedefender deidentify</c>
/// command does: each output is written atomically (a partly written file never appears), an existing output is skipped
/// unless <see cref="BatchOptions.Overwrite"/> is set (so a run that stopped can be resumed by running it again), one
/// photo's failure or a bug on one photo never stops the others, and every item gets a result, including the items a
/// cancellation left undone. Inputs are never modified.
/// </summary>
/// <remarks>Thread-safe: one instance may run several batches at once.</remarks>
public sealed class BatchDeidentifier
{
    private readonly FaceDeidentifier _deidentifier;
    private readonly ILogger _logger;

    /// <summary>A batch over <paramref name="deidentifier"/> (not disposed by the batch).</summary>
    /// <param name="deidentifier">The pipeline every photo goes through.</param>
    /// <param name="logger">Receives one entry per photo (input and output names, status, milliseconds) and one per
    /// batch; null for none. Patient data is never logged; the names are the caller's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="deidentifier"/> is null.</exception>
    public BatchDeidentifier(FaceDeidentifier deidentifier, ILogger<BatchDeidentifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(deidentifier);
        _deidentifier = deidentifier;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// De-identifies every photo of <paramref name="inputFolder"/> and its sub-folders (by extension: .jpg, .jpeg, .png;
    /// links to folders are not followed; the output folder is left out if it lies inside) into
    /// <paramref name="outputFolder"/>, as <c>NAME.deid.png</c> in the same relative folder (see
    /// <see cref="BatchItem.FromFolder"/>).
    /// </summary>
    /// <param name="inputFolder">The photos.</param>
    /// <param name="outputFolder">Where the outputs go; created if missing.</param>
    /// <param name="options">Null for <see cref="BatchOptions.Default"/>.</param>
    /// <param name="progress">One report per finished photo, or null.</param>
    /// <param name="cancellationToken">Stops the batch: photos under way finish or are abandoned whole, the others are
    /// reported <see cref="BatchOutcome.NotProcessed"/>, and the result is returned (not thrown).</param>
    /// <returns>A result per photo, in the listing's order.</returns>
    /// <exception cref="ArgumentException">A blank folder, a missing input folder, or invalid options.</exception>
    public Task<BatchResult> RunFolderAsync(string inputFolder, string outputFolder, BatchOptions? options = null,
        IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(BatchItem.FromFolder(inputFolder, outputFolder), options, progress, cancellationToken);

    /// <summary>De-identifies each item's source into its output.</summary>
    /// <param name="items">The photos and their output paths; two items may not share an output path.</param>
    /// <param name="options">Null for <see cref="BatchOptions.Default"/>.</param>
    /// <param name="progress">One report per finished photo, or null.</param>
    /// <param name="cancellationToken">Stops the batch: photos under way finish or are abandoned whole, the others are
    /// reported <see cref="BatchOutcome.NotProcessed"/>, and the result is returned (not thrown).</param>
    /// <returns>A result per item, in the order given.</returns>
    /// <exception cref="ArgumentException">Null items, two items with one output path, or invalid options.</exception>
    public async Task<BatchResult> RunAsync(IReadOnlyList<BatchItem> items, BatchOptions? options = null,
        IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= BatchOptions.Default;
        options.Validate();
        var outputs = new HashSet<string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < items.Count; i++)
        {
            BatchItem item = items[i] ?? throw new ArgumentException($"Item {i} is null.", nameof(items));
            if (!outputs.Add(Path.GetFullPath(item.Output)))
            {
                throw new ArgumentException($"Two items write to '{item.Output}'.", nameof(items));
            }
        }

        var results = new BatchItemResult?[items.Count];
        int done = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            await Parallel.ForAsync(0, items.Count,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
                (i, token) =>
                {
                    BatchItemResult result = One(items[i], options, token);
                    results[i] = result;
                    Log(result);
                    progress?.Report(new BatchProgress(Interlocked.Increment(ref done), items.Count, result));
                    return ValueTask.CompletedTask;
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Reported below: the photos not done are NotProcessed.
        }

        for (int i = 0; i < results.Length; i++)
        {
            results[i] ??= new BatchItemResult(items[i], BatchOutcome.NotProcessed, null, "The batch was cancelled before this photo.", null, 0,
                DeidentificationWarnings.None);
        }

        var result = new BatchResult(results!, cancellationToken.IsCancellationRequested);
        _logger.LogInformation("Batch of {Count} photo(s): {Done} done, {Failed} failed, {Skipped} skipped, {Errors} errors, {NotProcessed} not processed in {Seconds:F1} s",
            items.Count, result.Count(BatchOutcome.Done), result.Count(BatchOutcome.Failed), result.Count(BatchOutcome.Skipped),
            result.Count(BatchOutcome.Error), result.Count(BatchOutcome.NotProcessed), clock.Elapsed.TotalSeconds);
        return result;
    }

    private BatchItemResult One(BatchItem item, BatchOptions options, CancellationToken token)
    {
        try
        {
            options.BeforeItem?.Invoke(item.Source);
            if (!options.Overwrite && File.Exists(item.Output))
            {
                return new BatchItemResult(item, BatchOutcome.Skipped, null, "The output exists (set Overwrite to redo it).", null, 0, DeidentificationWarnings.None);
            }

            using DeidentificationResult r = _deidentifier.Deidentify(item.Source, item.Patient ?? options.Patient, token);
            if (r.Succeeded)
            {
                string? folder = Path.GetDirectoryName(Path.GetFullPath(item.Output));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                r.SavePng(item.Output, options.Overwrite);
            }

            return new BatchItemResult(item, r.Succeeded ? BatchOutcome.Done : BatchOutcome.Failed, r.Status, r.Message, r.Avatar?.Id, r.Timings.TotalMs, r.Warnings);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new BatchItemResult(item, BatchOutcome.NotProcessed, null, "The batch was cancelled during this photo.", null, 0, DeidentificationWarnings.None);
        }
        catch (Exception e)
        {
            // A bug or an environment failure (disk full, permissions) on this photo: its result says so, and the batch goes on.
            return new BatchItemResult(item, BatchOutcome.Error, null, $"{e.GetType().Name}: {e.Message}", null, 0, DeidentificationWarnings.None);
        }
    }

    private void Log(BatchItemResult r)
    {
        if (r.Outcome is BatchOutcome.Done or BatchOutcome.Skipped)
        {
            _logger.LogInformation("{Source} -> {Output}: {Outcome} {Status} in {Milliseconds:F0} ms",
                r.Item.Source, r.Item.Output, r.Outcome, r.Status, r.TotalMs);
        }
        else
        {
            _logger.LogWarning("{Source}: {Outcome} {Status}: {Message}", r.Item.Source, r.Outcome, r.Status, r.Message);
        }
    }
}
