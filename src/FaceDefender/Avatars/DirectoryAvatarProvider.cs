using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars;

/// <summary>
/// Avatars from a user's own folder: portraits of any size and framing, described by a JSON
/// manifest (<see cref="AvatarManifest"/>). Each image's landmarks are detected once with an
/// <see cref="ILandmarkDetector"/>; the image is then brought onto the 1024 x 1024 FFHQ canvas with
/// <see cref="FaceNormalizer"/> (images already on that canvas are used unchanged), and the
/// canvas landmarks and the alignment are cached in a sidecar file <c>&lt;image&gt;.landmarks.json</c>
/// keyed by the SHA-256 of the image file and a fingerprint of the detector's models; a changed
/// image or model triggers a new detection.
/// </summary>
/// <remarks>
/// Choice: the entries of the query's sex, age bucket and skin tone; when there are none, the
/// nearest age bucket of the same sex and tone, then of the same sex, then any entry. Among the
/// candidates the pseudonym picks one with <see cref="AvatarPseudonym"/> (without a pseudonym, the
/// first in manifest order). Thread-safe; the detector is used under a lock.
/// </remarks>
public sealed class DirectoryAvatarProvider : IAvatarProvider
{
    /// <summary>Version tag written into sidecar files.</summary>
    public const string SidecarFormat = "FaceDefender avatar landmarks v2";

    /// <summary>
    /// Smallest usable distance between the iris centres in the source image, in pixels: a smaller
    /// face would be enlarged more than about 8 times onto the canvas (where the eyes are about 240 px apart).
    /// </summary>
    public const float MinimumEyeDistancePixels = 30f;

    /// <summary>
    /// An image counts as already on the canvas (and is used without resampling) when it is 1024 x 1024
    /// and the alignment computed from its detected landmarks moves no corner by more than this many
    /// pixels (3 % of the canvas: a rotation of under 2 degrees or a scale change of under 4 %, the
    /// order of landmark detection noise on an aligned image, not a different framing).
    /// </summary>
    public const float OnCanvasTolerancePixels = 32f;

    private readonly string _folder;
    private readonly ILandmarkDetector _detector;
    private readonly string _fingerprint;
    private readonly byte[] _hmacKey;
    private readonly IReadOnlyList<AvatarManifestEntry> _entries;
    private readonly AvatarMetadata[] _metadata;
    private readonly Lazy<Aligned>[] _landmarks;
    private readonly object _detectGate = new();

    private DirectoryAvatarProvider(string folder, IReadOnlyList<AvatarManifestEntry> entries, ILandmarkDetector detector, string fingerprint, byte[] hmacKey)
    {
        _folder = folder;
        _entries = entries;
        _detector = detector;
        _fingerprint = fingerprint;
        _hmacKey = hmacKey;
        _metadata = entries.Select(e => new AvatarMetadata(e.Id, e.Sex, AvatarAgeBuckets.Map(e.AgeYears), e.SkinTone, "file " + e.File, e.License, isSynthetic: false)).ToArray();
        _landmarks = entries.Select((e, i) => new Lazy<Aligned>(() => LoadOrDetect(i), LazyThreadSafetyMode.ExecutionAndPublication)).ToArray();
    }

    /// <summary>Opens the avatar set in <paramref name="folder"/> (reads and checks the manifest; detects nothing yet).</summary>
    /// <param name="folder">The folder holding the images and the manifest.</param>
    /// <param name="detector">Landmark detector used for images without a valid sidecar. Not disposed by the provider.</param>
    /// <param name="detectorFingerprint">
    /// Identifies the detector's models in the sidecar key; null uses
    /// <see cref="DefaultDetectorFingerprint"/> (right for <see cref="MediaPipeLandmarkDetector"/> with its embedded models).
    /// </param>
    /// <param name="manifestFileName">The manifest's file name in the folder.</param>
    /// <param name="pseudonymHmacKey">HMAC key for pseudonyms; null uses <see cref="AvatarPseudonym.DefaultKey"/>.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="AvatarSetException">No such folder or manifest, or the manifest is invalid.</exception>
    public static DirectoryAvatarProvider Open(string folder, ILandmarkDetector detector, string? detectorFingerprint = null, string manifestFileName = AvatarManifest.DefaultFileName, byte[]? pseudonymHmacKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestFileName);
        if (pseudonymHmacKey is { Length: 0 })
        {
            throw new ArgumentException("The pseudonym key must not be empty; pass null for the default key.", nameof(pseudonymHmacKey));
        }

        if (!Directory.Exists(folder))
        {
            throw new AvatarSetException($"The avatar folder \"{folder}\" does not exist.");
        }

        string manifestPath = Path.Combine(folder, manifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new AvatarSetException($"The avatar folder has no manifest \"{manifestFileName}\"; create one (see AvatarManifest for the format).");
        }

        IReadOnlyList<AvatarManifestEntry> entries = AvatarManifest.Parse(File.ReadAllText(manifestPath), folder, manifestFileName);
        return new DirectoryAvatarProvider(
            Path.GetFullPath(folder), entries, detector, detectorFingerprint ?? DefaultDetectorFingerprint,
            pseudonymHmacKey is null ? AvatarPseudonym.DefaultKey.ToArray() : (byte[])pseudonymHmacKey.Clone());
    }

    /// <summary>SHA-256 over the three embedded MediaPipe models (detector, mesh, iris), hex.</summary>
    public static string DefaultDetectorFingerprint => LazyFingerprint.Value;

    private static readonly Lazy<string> LazyFingerprint = new(() =>
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string name in new[] { EmbeddedModels.FaceDetector, EmbeddedModels.FaceMesh, EmbeddedModels.Iris })
        {
            sha.AppendData(EmbeddedModels.Read(name));
        }

        return "mediapipe-embedded-" + Convert.ToHexStringLower(sha.GetHashAndReset());
    });

    /// <summary>The manifest entries, in order.</summary>
    public IReadOnlyList<AvatarManifestEntry> Entries => _entries;

    /// <inheritdoc />
    public IReadOnlyList<AvatarMetadata> Catalog => _metadata;

    /// <summary>Detects (or loads from sidecars) the landmarks of every entry now, so problems show up at once.</summary>
    /// <exception cref="AvatarSetException">An image is unreadable, has no face or several faces, or the face is too small.</exception>
    public void Prepare()
    {
        foreach (Lazy<Aligned> l in _landmarks)
        {
            _ = l.Value;
        }
    }

    /// <inheritdoc />
    /// <exception cref="AvatarSetException">The chosen image is unreadable, has no face or several faces, or the face is too small.</exception>
    public Avatar Select(AvatarQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int[] candidates = Candidates(query);
        int pick = query.PseudonymKey is null ? candidates[0] : candidates[AvatarPseudonym.Choose(_hmacKey, query.PseudonymKey, candidates.Length)];
        Aligned aligned = _landmarks[pick].Value;
        Image<Rgb24> image = LoadImage(pick);
        if (aligned.SourceToCanvas is { } m)
        {
            // The same warp as FaceNormalizer.Normalize (white padding), with the cached transform.
            using Image<Rgb24> source = image;
            image = ImageKernels.Warp(source, AffineWarp.FromContinuousCoordinates(m), new Size(Avatar.CanvasSize, Avatar.CanvasSize), WarpBorderMode.Constant, new Rgb24(255, 255, 255));
        }
        else if (image.Width != Avatar.CanvasSize || image.Height != Avatar.CanvasSize)
        {
            image.Dispose();
            throw new AvatarSetException($"Avatar \"{_entries[pick].Id}\": \"{_entries[pick].File}\" changed after its landmarks were read; call Open again.");
        }

        return new Avatar(image, aligned.Landmarks, _metadata[pick]);
    }

    /// <summary>Canvas landmarks and the source-to-canvas transform (null: the image is already on the canvas).</summary>
    private sealed record Aligned(FaceLandmarks Landmarks, Matrix3x2? SourceToCanvas);

    private int[] Candidates(AvatarQuery q)
    {
        int[] Where(Func<AvatarMetadata, bool> keep)
        {
            var matching = Enumerable.Range(0, _metadata.Length).Where(i => keep(_metadata[i])).ToArray();
            if (matching.Length == 0)
            {
                return matching;
            }

            int best = matching.Min(i => BucketDistance(_metadata[i].AgeBucket, q.AgeBucket));
            return matching.Where(i => BucketDistance(_metadata[i].AgeBucket, q.AgeBucket) == best).ToArray();
        }

        int[] c = Where(m => m.Sex == q.Sex && m.SkinTone == q.SkinTone);
        if (c.Length == 0)
        {
            c = Where(m => m.Sex == q.Sex);
        }

        return c.Length == 0 ? Where(_ => true) : c;
    }

    private static int BucketDistance(int a, int b)
    {
        IReadOnlyList<int> all = AvatarAgeBuckets.All;
        int ia = 0, ib = 0;
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i] == a) { ia = i; }
            if (all[i] == b) { ib = i; }
        }

        return Math.Abs(ia - ib);
    }

    private string FullPath(int i) => Path.GetFullPath(Path.Combine(_folder, _entries[i].File));

    private Image<Rgb24> LoadImage(int i)
    {
        string path = FullPath(i);
        Image<Rgb24> image;
        try
        {
            image = Image.Load<Rgb24>(path);
        }
        catch (Exception e) when (e is IOException or UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new AvatarSetException($"Avatar \"{_entries[i].Id}\": \"{_entries[i].File}\" cannot be read as an image ({e.Message}).", e);
        }

        return image;
    }

    private Aligned LoadOrDetect(int i)
    {
        string path = FullPath(i);
        string sidecar = path + ".landmarks.json";
        string imageHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Aligned? cached = TryReadSidecar(sidecar, imageHash);
        if (cached is not null)
        {
            return cached;
        }

        FaceDetection detection;
        int width, height;
        using (Image<Rgb24> image = LoadImage(i))
        {
            width = image.Width;
            height = image.Height;
            lock (_detectGate)
            {
                detection = _detector.Detect(image);
            }
        }

        string id = _entries[i].Id;
        FaceLandmarks found = detection.Status switch
        {
            FaceDetectionStatus.Found when detection.Faces.Count == 1 => detection.Faces[0].Landmarks,
            FaceDetectionStatus.Found or FaceDetectionStatus.SeveralFaces =>
                throw new AvatarSetException($"Avatar \"{id}\": \"{_entries[i].File}\" shows {detection.Faces.Count} faces; an avatar must show exactly one."),
            FaceDetectionStatus.NoFace => throw new AvatarSetException($"Avatar \"{id}\": no face was found in \"{_entries[i].File}\"."),
            FaceDetectionStatus.FaceTooSmall => throw new AvatarSetException(
                $"Avatar \"{id}\": the face in \"{_entries[i].File}\" is too small for the landmark detector; use an image with at least {MinimumEyeDistancePixels:F0} px between the eyes."),
            _ => throw new AvatarSetException($"Avatar \"{id}\": the face in \"{_entries[i].File}\" could not be used ({detection.Status})."),
        };
        var source = new FaceLandmarks(found.Points.ToArray(), CoordinateSpace.Source, found.RightEyeContour, found.LeftEyeContour);
        Aligned aligned = Align(i, source, width, height);
        WriteSidecar(sidecar, imageHash, aligned);
        return aligned;
    }

    /// <summary>
    /// The FFHQ alignment of the detected face (<see cref="FaceNormalizer.ComputeTransform"/>): none
    /// when the image is already on the canvas, else the transform and the mapped landmarks.
    /// </summary>
    private Aligned Align(int i, FaceLandmarks source, int width, int height)
    {
        Matrix3x2 m;
        try
        {
            m = FaceNormalizer.ComputeTransform(source, Avatar.CanvasSize);
        }
        catch (ArgumentException e)
        {
            throw new AvatarSetException($"Avatar \"{_entries[i].Id}\": the face in \"{_entries[i].File}\" cannot be aligned ({e.Message}).", e);
        }

        float eyeDistance = Vector2.Distance(source[468], source[473]);
        if (!(eyeDistance >= MinimumEyeDistancePixels))
        {
            throw new AvatarSetException(
                $"Avatar \"{_entries[i].Id}\": the face in \"{_entries[i].File}\" is too small (about {eyeDistance:F0} px between the eyes); use an image with at least {MinimumEyeDistancePixels:F0} px between the eyes.");
        }

        if (width == Avatar.CanvasSize && height == Avatar.CanvasSize)
        {
            float worst = 0f;
            foreach (Vector2 corner in new[] { Vector2.Zero, new Vector2(width, 0), new Vector2(0, height), new Vector2(width, height) })
            {
                worst = MathF.Max(worst, Vector2.Distance(Vector2.Transform(corner, m), corner));
            }

            if (worst <= OnCanvasTolerancePixels)
            {
                return new Aligned(new FaceLandmarks(source.Points.ToArray(), CoordinateSpace.Normalized, source.RightEyeContour, source.LeftEyeContour), null);
            }
        }

        return new Aligned(source.Transform(m, CoordinateSpace.Normalized), m);
    }

    private Aligned? TryReadSidecar(string sidecar, string imageHash)
    {
        if (!File.Exists(sidecar))
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(sidecar));
            JsonElement root = doc.RootElement;
            if (root.GetProperty("format").GetString() != SidecarFormat
                || root.GetProperty("imageSha256").GetString() != imageHash
                || root.GetProperty("detector").GetString() != _fingerprint)
            {
                return null; // stale: the image or the model changed
            }

            var points = new List<Vector3>(FaceLandmarks.Count);
            foreach (JsonElement p in root.GetProperty("points").EnumerateArray())
            {
                points.Add(new Vector3(p[0].GetSingle(), p[1].GetSingle(), p[2].GetSingle()));
            }

            var landmarks = new FaceLandmarks(
                points, CoordinateSpace.Normalized, ReadContour(root, "rightEyeContour"), ReadContour(root, "leftEyeContour"));
            Matrix3x2? transform = null;
            if (root.TryGetProperty("sourceToCanvas", out JsonElement t))
            {
                transform = new Matrix3x2(t[0].GetSingle(), t[1].GetSingle(), t[2].GetSingle(), t[3].GetSingle(), t[4].GetSingle(), t[5].GetSingle());
            }

            return new Aligned(landmarks, transform);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            return null; // unreadable sidecar: detect again and overwrite it
        }
    }

    // The optional fine eye contour (absent in sidecars written before it existed: then null).
    private static EyeContour? ReadContour(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement array))
        {
            return null;
        }

        var points = new List<Vector3>(EyeContour.Count);
        foreach (JsonElement p in array.EnumerateArray())
        {
            points.Add(new Vector3(p[0].GetSingle(), p[1].GetSingle(), p[2].GetSingle()));
        }

        return new EyeContour(points);
    }

    private static void WritePoints(Utf8JsonWriter w, string name, ReadOnlySpan<Vector3> points)
    {
        w.WriteStartArray(name);
        foreach (Vector3 p in points)
        {
            w.WriteStartArray();
            w.WriteNumberValue(p.X);
            w.WriteNumberValue(p.Y);
            w.WriteNumberValue(p.Z);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private void WriteSidecar(string sidecar, string imageHash, Aligned aligned)
    {
        FaceLandmarks landmarks = aligned.Landmarks;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("format", SidecarFormat);
            w.WriteString("imageSha256", imageHash);
            w.WriteString("detector", _fingerprint);
            if (aligned.SourceToCanvas is { } m)
            {
                // Source pixels to canvas pixels (Matrix3x2 M11, M12, M21, M22, M31, M32); absent: already on the canvas.
                w.WriteStartArray("sourceToCanvas");
                foreach (float v in new[] { m.M11, m.M12, m.M21, m.M22, m.M31, m.M32 })
                {
                    w.WriteNumberValue(v);
                }

                w.WriteEndArray();
            }

            WritePoints(w, "points", landmarks.Points);
            if (landmarks.RightEyeContour is { } right)
            {
                WritePoints(w, "rightEyeContour", right.Points);
            }

            if (landmarks.LeftEyeContour is { } left)
            {
                WritePoints(w, "leftEyeContour", left.Points);
            }

            w.WriteEndObject();
        }

        try
        {
            string tmp = sidecar + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllBytes(tmp, stream.ToArray());
            File.Move(tmp, sidecar, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only folder still works: landmarks stay cached in memory for this provider.
        }
    }
}
