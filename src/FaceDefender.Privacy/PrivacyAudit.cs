using FaceDefender.Decoding;
using System.Numerics;
using System.Numerics.Tensors;
using FaceDefender.Abstractions;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// Measures how well protection methods hide identity from a face-recognition model: similarity
/// of each protected image to its raw photo, impostor and genuine distributions, Rank-1/Rank-5
/// identification against a raw gallery, true-accept rates at fixed false-accept rates, the
/// same-tool attack (gallery protected by the same method with other avatars) and the leakage
/// of the eye strip alone. Every rate carries a 95 % interval and the gallery size.
/// </summary>
public static class PrivacyAudit
{
    /// <summary>The methods compared by default: raw, blur, pixelation, black face with eye strip, and each ROI preset of ours (geometry-only included).</summary>
    /// <param name="avatars">Avatar provider for our methods (a <see cref="Avatars.ProceduralAvatarProvider"/> for example).</param>
    /// <returns>A new list.</returns>
    public static IReadOnlyList<IProtectionMethod> StandardMethods(IAvatarProvider avatars)
    {
        ArgumentNullException.ThrowIfNull(avatars);
        return
        [
            new BaselineProtection(BaselineKind.Raw),
            new BaselineProtection(BaselineKind.GaussianBlur),
            new BaselineProtection(BaselineKind.Pixelate),
            new BaselineProtection(BaselineKind.BlackFaceEyeStrip),
            new FusionProtection(avatars, RoiPreset.EyesOnly),
            new FusionProtection(avatars, RoiPreset.EyesAndBrows),
            new FusionProtection(avatars, RoiPreset.Paper),
            new FusionProtection(avatars, RoiPreset.GeometryOnly),
        ];
    }

    /// <summary>Runs the audit.</summary>
    /// <param name="samples">Raw photos with identity labels and landmarks (at least 2 identities).</param>
    /// <param name="methods">Protection methods to compare (names must differ).</param>
    /// <param name="embedder">The face-recognition model.</param>
    /// <param name="options">Options; null = <see cref="PrivacyAuditOptions.Default"/>.</param>
    /// <param name="progress">Receives the count of finished photos.</param>
    /// <param name="cancellationToken">Stops the audit.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">Fewer than two identities, or duplicate method names.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PrivacyAuditReport Run(
        IReadOnlyList<AuditSample> samples, IReadOnlyList<IProtectionMethod> methods, IFaceEmbedder embedder,
        PrivacyAuditOptions? options = null, IProgress<AuditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Any(s => s is null))
        {
            throw new ArgumentException("A sample is null.", nameof(samples));
        }

        return RunCore(
            [.. samples.Select(s => (s.Identity, s.Landmarks))], i => samples[i].Image, ownsImages: false, nameof(samples),
            methods, embedder, options, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the audit on photos kept as files (<see cref="AuditPhoto"/>): each is decoded when the audit reaches it and
    /// disposed after, so a large audit needs memory for the photos in flight only. Same report as
    /// <see cref="Run(IReadOnlyList{AuditSample}, IReadOnlyList{IProtectionMethod}, IFaceEmbedder, PrivacyAuditOptions?, IProgress{AuditProgress}?, CancellationToken)"/>
    /// on the decoded images; a file that can no longer be read counts as a photo that could not be embedded.
    /// </summary>
    /// <param name="photos">Raw photo files with identity labels and landmarks (at least 2 identities).</param>
    /// <param name="methods">Protection methods to compare (names must differ).</param>
    /// <param name="embedder">The face-recognition model.</param>
    /// <param name="options">Options; null = <see cref="PrivacyAuditOptions.Default"/>.</param>
    /// <param name="progress">Receives the count of finished photos.</param>
    /// <param name="cancellationToken">Stops the audit.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">A null photo or an empty file name, fewer than two identities, or duplicate method names.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PrivacyAuditReport Run(
        IReadOnlyList<AuditPhoto> photos, IReadOnlyList<IProtectionMethod> methods, IFaceEmbedder embedder,
        PrivacyAuditOptions? options = null, IProgress<AuditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photos);
        if (photos.Any(p => p is null || string.IsNullOrWhiteSpace(p.File)))
        {
            throw new ArgumentException("A photo is null or has no file name.", nameof(photos));
        }

        return RunCore(
            [.. photos.Select(p => (p.Identity, p.Landmarks))], i => Open(photos[i].File), ownsImages: true, nameof(photos),
            methods, embedder, options, progress, cancellationToken);
    }

    private static Image<Rgb24>? Open(string file)
    {
        try
        {
            return FaceImageDecoder.Load(file);
        }
        catch (FaceDefenderException)
        {
            return null;
        }
    }

    private static PrivacyAuditReport RunCore(
        (string Identity, FaceLandmarks Landmarks)[] samples, Func<int, Image<Rgb24>?> open, bool ownsImages, string samplesName,
        IReadOnlyList<IProtectionMethod> methods, IFaceEmbedder embedder,
        PrivacyAuditOptions? options, IProgress<AuditProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= PrivacyAuditOptions.Default;
        if (samples.Select(s => s.Identity).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw new ArgumentException("An audit needs photos of at least two identities.", samplesName);
        }

        if (methods.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != methods.Count)
        {
            throw new ArgumentException("Method names must be distinct.", nameof(methods));
        }

        int n = samples.Length, k = methods.Count;
        var raw = new float[]?[n];
        var rawStrip = new float[]?[n];
        var prot = new float[]?[k, n];
        var protB = new float[]?[k, n];
        var protStrip = new float[]?[k, n];
        var duplicateFeatures = new NearDuplicateCheck.Features?[n];
        int done = 0;
        // Each photo's images (raw, its eye strip, every method's protected images and strips) are aligned as they
        // are made and embedded together in one batched model run: the batch depends on that photo alone, so the
        // report does not depend on the degree of parallelism or the order photos finish in.
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            (string _, FaceLandmarks landmarks) = samples[i];
            Image<Rgb24>? image = open(i);
            try
            {
                if (image is not null)
                {
                    EmbedPhoto(i, image, landmarks);
                }
            }
            finally
            {
                if (ownsImages)
                {
                    image?.Dispose();
                }
            }

            progress?.Report(new AuditProgress(Interlocked.Increment(ref done), n));
        });

        void EmbedPhoto(int i, Image<Rgb24> image, FaceLandmarks landmarks)
        {
            using var batch = new PhotoBatch(embedder);
            int rawJob = batch.Add(image, landmarks);
            duplicateFeatures[i] = NearDuplicateCheck.Extract(image, landmarks);
            if (batch.Aligned(rawJob))
            {
                int rawStripJob = options.Periocular ? batch.AddStrip(image, landmarks) : -1;
                var protJob = new int[k];
                var stripJob = new int[k];
                var protBJob = new int[k];
                for (int m = 0; m < k; m++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (protJob[m], stripJob[m]) = ProtectAndAdd(methods[m], batch, image, landmarks, $"audit-a-{i % options.VariantPoolSize}", options.Periocular);
                    protBJob[m] = -1;
                    if (options.SameToolAttack)
                    {
                        // Baselines ignore the variant key: their gallery image is the probe image itself.
                        protBJob[m] = methods[m] is BaselineProtection
                            ? protJob[m]
                            : ProtectAndAdd(methods[m], batch, image, landmarks, $"audit-b-{i % options.VariantPoolSize}", periocular: false).Full;
                    }
                }

                batch.Run();
                raw[i] = batch.Result(rawJob);
                if (raw[i] is not null)
                {
                    rawStrip[i] = batch.Result(rawStripJob);
                    for (int m = 0; m < k; m++)
                    {
                        prot[m, i] = batch.Result(protJob[m]);
                        protStrip[m, i] = prot[m, i] is null ? null : batch.Result(stripJob[m]);
                        protB[m, i] = batch.Result(protBJob[m]);
                    }
                }
            }
        }

        // Identities of the embedded raw photos, as dense indices.
        string[] ids = samples.Select(s => s.Identity).ToArray();
        int[] ok = Enumerable.Range(0, n).Where(i => raw[i] is not null).ToArray();
        var idIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (int i in ok)
        {
            idIndex.TryAdd(ids[i], idIndex.Count);
        }

        int identities = idIndex.Count;
        if (identities < 2)
        {
            throw new ArgumentException("Fewer than two identities could be embedded; check the photos and landmarks.", samplesName);
        }

        var impostor = new List<double>();
        var genuine = new List<double>();
        for (int a = 0; a < ok.Length; a++)
        {
            for (int b = a + 1; b < ok.Length; b++)
            {
                double cos = Cosine(raw[ok[a]]!, raw[ok[b]]!);
                (ids[ok[a]] == ids[ok[b]] ? genuine : impostor).Add(cos);
            }
        }

        double[] impostorSorted = [.. impostor.Order()];
        var thresholds = options.FalseAcceptRates.Select(far =>
        {
            double t = ScoreSummary.Quantile7(impostorSorted, 1 - far);
            ProportionEstimate? gar = genuine.Count > 0 ? ProportionEstimate.Wilson(genuine.Count(g => g >= t), genuine.Count) : null;
            return new ThresholdAtFar(far, t, impostorSorted.Length, gar);
        }).ToArray();

        var results = new List<MethodAuditResult>();
        int[] identityOf = new int[n];
        foreach (int i in ok)
        {
            identityOf[i] = idIndex[ids[i]];
        }

        var imagesPerIdentity = ok.GroupBy(i => identityOf[i]).ToDictionary(g => g.Key, g => g.Count());
        for (int m = 0; m < k; m++)
        {
            int[] probes = ok.Where(i => prot[m, i] is not null).ToArray();
            int failed = ok.Length - probes.Length;
            if (probes.Length == 0)
            {
                results.Add(new MethodAuditResult(methods[m].Name, 0, failed, null, [], null, null, 0, null, null, null));
                continue;
            }

            double[] toRaw = probes.Select(i => Cosine(prot[m, i]!, raw[i]!)).ToArray();
            var tar = thresholds.Select(t => new TrueAcceptAtFar(t.FalseAcceptRate, t.Threshold,
                ProportionEstimate.Wilson(toRaw.Count(v => v >= t.Threshold), toRaw.Length))).ToArray();

            int m1 = m;
            IdentificationResult rawGallery = Identify(probes, i => prot[m1, i]!, ok, j => raw[j]!, identityOf, identities, excludeSelf: false);

            IdentificationResult? sameTool = null;
            int sameImage = 0;
            if (options.SameToolAttack)
            {
                int[] gallery = ok.Where(j => protB[m1, j] is not null).ToArray();
                sameImage = probes.Count(i => imagesPerIdentity[identityOf[i]] < 2);
                sameTool = Identify(probes, i => prot[m1, i]!, gallery, j => protB[m1, j]!, identityOf, identities,
                    excludeSelf: true, imagesPerIdentity: imagesPerIdentity);
            }

            ScoreSummary? stripCos = null;
            IdentificationResult? stripRaw = null, stripStrip = null;
            int[] stripProbes = probes.Where(i => protStrip[m1, i] is not null).ToArray();
            if (options.Periocular && stripProbes.Length > 0)
            {
                stripCos = ScoreSummary.Of(stripProbes.Select(i => Cosine(protStrip[m1, i]!, raw[i]!)).ToArray());
                stripRaw = Identify(stripProbes, i => protStrip[m1, i]!, ok, j => raw[j]!, identityOf, identities, excludeSelf: false);
                int[] stripGallery = ok.Where(j => rawStrip[j] is not null).ToArray();
                stripStrip = Identify(stripProbes, i => protStrip[m1, i]!, stripGallery, j => rawStrip[j]!, identityOf, identities, excludeSelf: false);
            }

            results.Add(new MethodAuditResult(methods[m].Name, probes.Length, failed, ScoreSummary.Of(toRaw), tar,
                rawGallery, sameTool, sameImage, stripCos, stripRaw, stripStrip));
        }

        // Copies of one capture within a person make the same-tool attack measure the set, not the method: say so.
        NearDuplicateCheck.Features?[] embeddedFeatures = [.. Enumerable.Range(0, n).Select(i => raw[i] is null ? null : duplicateFeatures[i])];
        NearDuplicateCheck nearDuplicates = NearDuplicateCheck.Check(embeddedFeatures, identityOf);

        return new PrivacyAuditReport(embedder.Name, ok.Length, n - ok.Length, identities,
            ScoreSummary.Of(impostor),
            genuine.Count > 0 ? ScoreSummary.Of(genuine) : null,
            genuine.Count > 0 ? Auc(genuine, impostor) : null,
            thresholds, results)
        {
            NearDuplicates = nearDuplicates,
        };
    }

    /// <summary>Cosine similarity of two vectors.</summary>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector, same length.</param>
    /// <exception cref="ArgumentException">Lengths differ or a vector is empty.</exception>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException($"Vectors must be non-empty and of equal length ({a.Length} vs {b.Length}).", nameof(b));
        }

        return TensorPrimitives.CosineSimilarity(a, b);
    }

    /// <summary>Area under the ROC curve of genuine vs impostor scores (probability a genuine score exceeds an impostor one; ties count half).</summary>
    /// <param name="genuine">Genuine scores (at least one).</param>
    /// <param name="impostor">Impostor scores (at least one).</param>
    /// <exception cref="ArgumentException">An empty sample.</exception>
    public static double Auc(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor)
    {
        ArgumentNullException.ThrowIfNull(genuine);
        ArgumentNullException.ThrowIfNull(impostor);
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            throw new ArgumentException("AUC needs at least one genuine and one impostor score.", genuine.Count == 0 ? nameof(genuine) : nameof(impostor));
        }

        // Rank-sum (Mann-Whitney U) with mid-ranks for ties.
        var all = genuine.Select(v => (v, g: true)).Concat(impostor.Select(v => (v, g: false))).OrderBy(t => t.v).ToArray();
        double rankSumGenuine = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j + 1 < all.Length && all[j + 1].v == all[i].v)
            {
                j++;
            }

            double midRank = ((i + j) / 2.0) + 1;
            for (int t = i; t <= j; t++)
            {
                if (all[t].g)
                {
                    rankSumGenuine += midRank;
                }
            }

            i = j + 1;
        }

        double ng = genuine.Count, ni = impostor.Count;
        return (rankSumGenuine - (ng * (ng + 1) / 2)) / (ng * ni);
    }

    /// <summary>
    /// A copy of <paramref name="image"/> with everything outside a horizontal strip over both brows and
    /// eyes painted mid-grey: what the eye region alone shows a face-recognition model.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="landmarks">Its face's landmarks.</param>
    /// <returns>A new image; the caller disposes it.</returns>
    public static Image<Rgb24> EyeStripOnly(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        float ipd = Math.Max(2f, landmarks.InterPupillaryDistance);
        float top = float.MaxValue, bottom = float.MinValue, left = float.MaxValue, right = float.MinValue;
        foreach (Vector2 p in landmarks.RightBrow.Concat(landmarks.LeftBrow))
        {
            top = Math.Min(top, p.Y);
            left = Math.Min(left, p.X);
            right = Math.Max(right, p.X);
        }

        foreach (int i in (ReadOnlySpan<int>)[145, 374, 23, 253, 33, 263])
        {
            Vector2 p = landmarks[i];
            bottom = Math.Max(bottom, p.Y);
            left = Math.Min(left, p.X);
            right = Math.Max(right, p.X);
        }

        top -= 0.1f * ipd;
        bottom += 0.1f * ipd;
        left -= 0.1f * ipd;
        right += 0.1f * ipd;
        Image<Rgb24> output = image.Clone();
        using PixelBuffer px = PixelBuffer.Write(output);
        Span<byte> bytes = px.Bytes;
        int w = output.Width;
        for (int y = 0; y < output.Height; y++)
        {
            bool rowIn = y + 0.5f >= top && y + 0.5f <= bottom;
            for (int x = 0; x < w; x++)
            {
                if (!rowIn || x + 0.5f < left || x + 0.5f > right)
                {
                    bytes.Slice(3 * ((y * w) + x), 3).Fill(128);
                }
            }
        }

        return output;
    }

    /// <summary>Protects the photo and queues the protected image (and its eye strip) for embedding; -1 for what failed.</summary>
    private static (int Full, int Strip) ProtectAndAdd(IProtectionMethod method, PhotoBatch batch, Image<Rgb24> image, FaceLandmarks landmarks, string key, bool periocular)
    {
        ProtectedImage? p;
        try
        {
            p = method.Protect(image, landmarks, key);
        }
        catch (Exception e) when (e is ArgumentException or FaceDefenderException or InvalidOperationException)
        {
            return (-1, -1);
        }

        if (p is null)
        {
            return (-1, -1);
        }

        using (p)
        {
            int full = batch.Add(p.Image, p.Landmarks);
            int strip = periocular && batch.Aligned(full) ? batch.AddStrip(p.Image, p.Landmarks) : -1;
            return (full, strip);
        }
    }

    /// <summary>
    /// The images of one photo waiting to be embedded. With an <see cref="OnnxFaceEmbedder"/> each image is aligned
    /// when added (so the full-size image can be released) and all are run through the model in one batch; any other
    /// embedder embeds each image when it is added.
    /// </summary>
    private sealed class PhotoBatch(IFaceEmbedder embedder) : IDisposable
    {
        private readonly OnnxFaceEmbedder? _onnx = embedder as OnnxFaceEmbedder;
        private readonly List<Image<Rgb24>?> _chips = [];
        private readonly List<float[]?> _results = [];

        /// <summary>Queues an image; returns its job number.</summary>
        public int Add(Image<Rgb24> image, FaceLandmarks landmarks)
        {
            if (_onnx is null)
            {
                _results.Add(TryEmbed(embedder, image, landmarks));
                _chips.Add(null);
                return _results.Count - 1;
            }

            Image<Rgb24>? chip;
            try
            {
                chip = _onnx.Align(image, landmarks);
            }
            catch (ArgumentException)
            {
                chip = null;
            }

            _chips.Add(chip);
            _results.Add(null);
            return _chips.Count - 1;
        }

        /// <summary>Queues the eye strip of an image (<see cref="EyeStripOnly"/>).</summary>
        public int AddStrip(Image<Rgb24> image, FaceLandmarks landmarks)
        {
            using Image<Rgb24> strip = EyeStripOnly(image, landmarks);
            return Add(strip, landmarks);
        }

        /// <summary>Whether a job can still give a descriptor (it was aligned, or embedded already).</summary>
        public bool Aligned(int job) => job >= 0 && (_onnx is null ? _results[job] is not null : _chips[job] is not null);

        /// <summary>Embeds the queued chips in one batched run.</summary>
        public void Run()
        {
            if (_onnx is null)
            {
                return;
            }

            int[] jobs = Enumerable.Range(0, _chips.Count).Where(j => _chips[j] is not null).ToArray();
            if (jobs.Length == 0)
            {
                return;
            }

            float[]?[] vectors;
            try
            {
                vectors = _onnx.TryEmbedAlignedBatch(jobs.Select(j => _chips[j]!).ToArray());
            }
            catch (FaceDefenderException)
            {
                // One face broke the batch: embed one at a time so only that face fails.
                vectors = jobs.Select(j => TryEmbedAligned(_onnx, _chips[j]!)).ToArray();
            }

            for (int t = 0; t < jobs.Length; t++)
            {
                _results[jobs[t]] = vectors[t];
            }
        }

        /// <summary>The descriptor of a job (null for -1 or a failure).</summary>
        public float[]? Result(int job) => job < 0 ? null : _results[job];

        public void Dispose()
        {
            foreach (Image<Rgb24>? chip in _chips)
            {
                chip?.Dispose();
            }
        }

        private static float[]? TryEmbedAligned(OnnxFaceEmbedder onnx, Image<Rgb24> chip)
        {
            try
            {
                return onnx.EmbedAligned(chip);
            }
            catch (FaceDefenderException)
            {
                return null;
            }
        }
    }

    private static float[]? TryEmbed(IFaceEmbedder embedder, Image<Rgb24> image, FaceLandmarks landmarks)
    {
        try
        {
            return embedder.Embed(image, landmarks);
        }
        catch (Exception e) when (e is ArgumentException or FaceDefenderException)
        {
            return null;
        }
    }

    private static IdentificationResult Identify(
        int[] probes, Func<int, float[]> probeVector, int[] gallery, Func<int, float[]> galleryVector,
        int[] identityOf, int identities, bool excludeSelf, Dictionary<int, int>? imagesPerIdentity = null)
    {
        int rank1 = 0, rank5 = 0;
        var best = new double[identities];
        foreach (int i in probes)
        {
            Array.Fill(best, double.NegativeInfinity);
            float[] q = probeVector(i);
            // Same-tool attack: skip the probe's own photo when its identity has another photo.
            bool skipSelf = excludeSelf && imagesPerIdentity is not null && imagesPerIdentity[identityOf[i]] > 1;
            foreach (int j in gallery)
            {
                if (skipSelf && j == i)
                {
                    continue;
                }

                double cos = Cosine(q, galleryVector(j));
                ref double slot = ref best[identityOf[j]];
                slot = Math.Max(slot, cos);
            }

            double truth = best[identityOf[i]];
            int rank = 1 + best.Count(v => v > truth);
            if (double.IsNegativeInfinity(truth))
            {
                rank = int.MaxValue;
            }

            rank1 += rank <= 1 ? 1 : 0;
            rank5 += rank <= 5 ? 1 : 0;
        }

        return new IdentificationResult(identities, ProportionEstimate.Wilson(rank1, probes.Length), ProportionEstimate.Wilson(rank5, probes.Length),
            1.0 / identities, Math.Min(1.0, 5.0 / identities));
    }
}
