using FaceDefender.Decoding;
using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using FaceDefender.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Dense face landmarks with Google MediaPipe's models on ONNX Runtime: BlazeFace detection,
/// the 468-point face mesh on a rotated crop, and the iris model on each eye, giving 478 points in
/// source-image pixels.
/// </summary>
/// <remarks>
/// <para>Pipeline: the whole image is letterboxed to 256 x 256 for BlazeFace; anchors are decoded
/// and merged by weighted non-maximum suppression; each face's crop is the detector box x 1.5,
/// square, rotated so the detector's eye keypoints are level, sampled to 192 x 192 for the mesh;
/// optionally the crop is recomputed from the mesh itself (eye-corner rotation, landmark extent x
/// <see cref="MediaPipeLandmarkDetectorOptions.RefinedCropScale"/>) and the mesh run again
/// (<see cref="MediaPipeLandmarkDetectorOptions.RefinementPasses"/>); each mesh run averages the crop
/// and its mirror image (<see cref="MediaPipeLandmarkDetectorOptions.MirrorAveraging"/>); each eye's crop is a square of
/// side 2.3 x the eye-corner distance, aligned with the corners, sampled to 64 x 64 (the subject's left
/// eye mirrored) for the iris model, which gives 5 iris points and a 71-point eye contour per eye (returned as
/// <see cref="FaceLandmarks.RightEyeContour"/> / <see cref="FaceLandmarks.LeftEyeContour"/>, optionally also written
/// over the mesh's eye points: <see cref="MediaPipeLandmarkDetectorOptions.EyeMeshRefinement"/>). Every point is
/// mapped back through its crop's affine transform.</para>
/// <para>Coordinates are continuous pixels: pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is
/// (i + 0.5, j + 0.5) (MediaPipe's normalised coordinates times the image size). Depth (Z) is
/// MediaPipe's relative depth scaled to source pixels (smaller is nearer the camera).</para>
/// <para>Thread safety: one instance may be used by several threads at once (ONNX Runtime sessions
/// allow concurrent <c>Run</c> calls; no other state is shared). Dispose it to release the three
/// sessions; <c>Detect</c> then throws <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class MediaPipeLandmarkDetector : ILandmarkDetector
{
    private const int MeshSize = 192;
    private const int IrisSize = 64;
    private const float MeshCropScale = 1.5f;
    private const float IrisCropScale = 2.3f;

    // Eye corners, ordered image-left to image-right for an upright face.
    private const int RightEyeOuter = 33, RightEyeInner = 133, LeftEyeInner = 362, LeftEyeOuter = 263;

    private readonly InferenceSession _detector;
    private readonly InferenceSession _mesh;
    private readonly InferenceSession _iris;
    private readonly SessionOptions? _ownedSessionOptions;
    private volatile bool _disposed;

    /// <summary>Creates a detector, loading the three models (embedded ones unless the options name others).</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="FaceDefenderException">A model is missing, corrupt, or not the expected MediaPipe model.</exception>
    public MediaPipeLandmarkDetector(MediaPipeLandmarkDetectorOptions? options = null)
    {
        FaceDefender.Runtime.OnnxRuntimeTelemetry.EnsureDisabled();
        Options = options ?? new MediaPipeLandmarkDetectorOptions();
        SessionOptions sessionOptions;
        if (Options.SessionOptions is { } given)
        {
            sessionOptions = given;
        }
        else
        {
            _ownedSessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            sessionOptions = _ownedSessionOptions;
        }

        var created = new List<InferenceSession>();
        try
        {
            _detector = Open("face detector", Options.DetectorModel, EmbeddedModels.FaceDetector, sessionOptions, "input", [1, 256, 256, 3], ["Identity", "Identity_1", "Identity_2", "Identity_3"], created);
            _mesh = Open("face mesh", Options.MeshModel, EmbeddedModels.FaceMesh, sessionOptions, "input_1", [-1, MeshSize, MeshSize, 3], ["Identity_1", "Identity_2"], created);
            _iris = Open("iris", Options.IrisModel, EmbeddedModels.Iris, sessionOptions, "input_1", [-1, IrisSize, IrisSize, 3], ["Identity"], created);
        }
        catch
        {
            foreach (InferenceSession s in created)
            {
                s.Dispose();
            }

            _ownedSessionOptions?.Dispose();
            throw;
        }
    }

    /// <summary>The options this detector was created with.</summary>
    public MediaPipeLandmarkDetectorOptions Options { get; }

    /// <inheritdoc />
    public FaceDetection Detect(Image<Rgb24> image) => Detect(image, null);

    /// <summary>Decodes a photo (size limit, EXIF orientation applied) and detects faces in it.</summary>
    /// <param name="path">The image file.</param>
    /// <exception cref="FaceDefenderException">The file cannot be decoded.</exception>
    public FaceDetection Detect(string path)
    {
        using Image<Rgb24> image = FaceImageDecoder.Load(path);
        return Detect(image);
    }

    /// <summary>Decodes a photo from a stream (size limit, EXIF orientation applied) and detects faces in it.</summary>
    /// <param name="stream">The encoded image; read from its position, not disposed.</param>
    /// <exception cref="FaceDefenderException">The data cannot be decoded.</exception>
    public FaceDetection Detect(Stream stream)
    {
        using Image<Rgb24> image = FaceImageDecoder.Load(stream);
        return Detect(image);
    }

    /// <summary>Releases the ONNX Runtime sessions (and the session options the detector created itself).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _detector.Dispose();
        _mesh.Dispose();
        _iris.Dispose();
        _ownedSessionOptions?.Dispose();
    }

    internal FaceDetection Detect(Image<Rgb24> image, LandmarkTimings? timings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        long t0 = Stopwatch.GetTimestamp();
        SourceFrame frame = WorkingFrame(image);

        List<BlazeFaceDetection> detections = RunDetector(frame, timings, ref t0);
        if (detections.Count == 0)
        {
            return Result(FaceDetectionStatus.NoFace, [], frame);
        }

        var usable = detections
            .OrderByDescending(d => d.Score)
            .Take(Options.MaxFaces)
            .Where(d => MathF.Max(d.Size.X, d.Size.Y) * frame.Scale >= Options.MinFaceSize)
            .ToList();
        if (usable.Count == 0)
        {
            return Result(FaceDetectionStatus.FaceTooSmall, [], frame);
        }

        var faces = new List<DetectedFace>();
        foreach (BlazeFaceDetection detection in usable)
        {
            DetectedFace? face = Landmarks(frame, detection, timings, ref t0);
            if (face is not null)
            {
                faces.Add(face);
            }
        }

        if (faces.Count == 0)
        {
            return Result(FaceDetectionStatus.LowConfidence, [], frame);
        }

        faces.Sort((a, b) => (b.Box.Width * b.Box.Height).CompareTo(a.Box.Width * a.Box.Height));
        FaceDetection result = faces.Count == 1
            ? Result(FaceDetectionStatus.Found, faces, frame)
            : Options.SeveralFaces switch
            {
                SeveralFacesPolicy.Largest => Result(FaceDetectionStatus.Found, [faces[0]], frame),
                SeveralFacesPolicy.Fail => Result(FaceDetectionStatus.SeveralFaces, faces, frame),
                _ => Result(FaceDetectionStatus.Found, faces, frame),
            };
        timings?.Add(ref timings.Postprocess, ref t0);
        return result;
    }

    private static FaceDetection Result(FaceDetectionStatus status, IReadOnlyList<DetectedFace> faces, SourceFrame frame) =>
        new(status, faces, frame.SourceWidth, frame.SourceHeight);

    /// <summary>The pixels the models read: the image itself, or for images larger than
    /// <see cref="MediaPipeLandmarkDetectorOptions.MaxWorkingSize"/> an integer box-downscaled copy.</summary>
    private SourceFrame WorkingFrame(Image<Rgb24> image)
    {
        ReadOnlyMemory<Rgb24> memory = AffineCropSampler.Pixels(image);
        int longest = Math.Max(image.Width, image.Height);
        int factor = (longest + Options.MaxWorkingSize - 1) / Options.MaxWorkingSize;
        if (factor <= 1)
        {
            return new SourceFrame(memory, image.Width, image.Height, 1f, image.Width, image.Height);
        }

        (Rgb24[] pixels, int w, int h) = AffineCropSampler.BoxDownscale(memory.Span, image.Width, image.Height, factor);
        return new SourceFrame(pixels, w, h, factor, image.Width, image.Height);
    }

    private List<BlazeFaceDetection> RunDetector(SourceFrame frame, LandmarkTimings? timings, ref long t0)
    {
        const int size = BlazeFaceDecoder.InputSize;
        float side = Math.Max(frame.Width, frame.Height);
        Vector2 offset = new((frame.Width - side) / 2, (frame.Height - side) / 2);
        Matrix3x2 toSource = Matrix3x2.CreateScale(side / size) * Matrix3x2.CreateTranslation(offset);
        const int inputLength = size * size * 3;
        float[] input = ArrayPool<float>.Shared.Rent(inputLength);
        var logits = new float[BlazeFaceDecoder.AnchorCount];
        var regressors = new float[BlazeFaceDecoder.AnchorCount * 16];
        try
        {
            int shrink = (int)(side / size);
            if (shrink >= 2)
            {
                // Box-average by the integer part of the reduction first (each pixel read once), then
                // sample the small image: far cheaper than supersampling the full image.
                (int w, int h) = AffineCropSampler.BoxDownscaledSize(frame.Width, frame.Height, shrink);
                Rgb24[] small = ArrayPool<Rgb24>.Shared.Rent(w * h);
                try
                {
                    AffineCropSampler.BoxDownscale(frame.Pixels.Span, frame.Width, frame.Height, shrink, small);
                    AffineCropSampler.Sample(small.AsSpan(0, w * h), w, h, toSource * Matrix3x2.CreateScale(1f / shrink), size, 2f, -1f,
                        AffineCropSampler.SupersampleFor(side / size / shrink), input.AsSpan(0, inputLength));
                }
                finally
                {
                    ArrayPool<Rgb24>.Shared.Return(small);
                }
            }
            else
            {
                AffineCropSampler.Sample(frame.Pixels.Span, frame.Width, frame.Height, toSource, size, 2f, -1f,
                    AffineCropSampler.SupersampleFor(side / size), input.AsSpan(0, inputLength));
            }

            timings?.Add(ref timings.Preprocess, ref t0);

            var tensor = new DenseTensor<float>(input.AsMemory(0, inputLength), [1, size, size, 3]);
            using var results = _detector.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
            foreach (DisposableNamedOnnxValue r in results)
            {
                Span<float> values = ((DenseTensor<float>)r.AsTensor<float>()).Buffer.Span;
                switch (r.Name)
                {
                    case "Identity": values.CopyTo(logits); break;
                    case "Identity_1": values.CopyTo(logits.AsSpan(512)); break;
                    case "Identity_2": values.CopyTo(regressors); break;
                    case "Identity_3": values.CopyTo(regressors.AsSpan(512 * 16)); break;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }

        timings?.Add(ref timings.Detector, ref t0);
        List<BlazeFaceDetection> normalised = BlazeFaceDecoder.Decode(regressors, logits, Options.MinDetectionScore, Options.NmsIouThreshold);

        // To source pixels.
        var result = new List<BlazeFaceDetection>(normalised.Count);
        foreach (BlazeFaceDetection d in normalised)
        {
            Vector2[] keypoints = d.Keypoints.Select(k => Vector2.Transform(k * size, toSource)).ToArray();
            result.Add(new BlazeFaceDetection(d.Score, Vector2.Transform(d.Center * size, toSource), d.Size * side, keypoints));
        }

        timings?.Add(ref timings.Postprocess, ref t0);
        return result;
    }

    private DetectedFace? Landmarks(SourceFrame frame, BlazeFaceDetection detection, LandmarkTimings? timings, ref long t0)
    {
        // Keypoint 0 is the subject's right eye (image left), 1 the subject's left eye.
        Vector2 eyeLine = detection.Keypoints[1] - detection.Keypoints[0];
        float angle = MathF.Atan2(eyeLine.Y, eyeLine.X);
        float side = MathF.Max(detection.Size.X, detection.Size.Y) * MeshCropScale;
        (Vector3[] mesh, float score) = RunMesh(frame, detection.Center, side, angle, timings, ref t0);

        for (int pass = 0; pass < Options.RefinementPasses && score >= Options.MinLandmarkScore; pass++)
        {
            (Vector2 center, float refinedSide, float refinedAngle) = RoiFromLandmarks(mesh);
            (mesh, score) = RunMesh(frame, center, refinedSide, refinedAngle, timings, ref t0);
        }

        if (score < Options.MinLandmarkScore)
        {
            return null;
        }

        Vector2 boxSize = detection.Size * frame.Scale;
        Vector2 boxCenter = detection.Center * frame.Scale;
        var box = new RectangleF(boxCenter.X - (boxSize.X / 2), boxCenter.Y - (boxSize.Y / 2), boxSize.X, boxSize.Y);
        return Finish(frame, mesh, score, box, detection.Score, timings, ref t0);
    }

    /// <summary>
    /// Tracking mode: runs the face mesh on the region of interest given by the previous frame's landmarks (as MediaPipe's
    /// face-mesh graph does between detections), without the face detector, then the same iris model, eye refinement,
    /// corneal-reflex search and head pose as <see cref="Detect(Image{Rgb24})"/>.
    /// </summary>
    /// <remarks>
    /// The crop is the one <see cref="Detect(Image{Rgb24})"/>'s refinement pass computes: rotated so the outer eye corners of
    /// <paramref name="previous"/> are level, its side the landmarks' extent x <see cref="MediaPipeLandmarkDetectorOptions.RefinedCropScale"/>;
    /// the mesh runs once on it. A face-presence score below <see cref="MediaPipeLandmarkDetectorOptions.MinLandmarkScore"/>
    /// (the face left the crop, turned away or is covered) gives <see cref="FaceDetectionStatus.LowConfidence"/> with no face:
    /// the caller then detects again. Tracking never reports <see cref="FaceDetectionStatus.SeveralFaces"/> (it looks at one
    /// face only); a found face's <see cref="DetectedFace.Box"/> is the landmarks' bounding box and its
    /// <see cref="DetectedFace.Confidence"/> the mesh score (no detector ran).
    /// </remarks>
    /// <param name="image">The frame (the same size as the one <paramref name="previous"/> was found in, or at least in its coordinates).</param>
    /// <param name="previous">The landmarks of the same face in the previous frame, in source pixels.</param>
    /// <returns><see cref="FaceDetectionStatus.Found"/> with one face, or <see cref="FaceDetectionStatus.LowConfidence"/> with none.</returns>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentException"><paramref name="previous"/> is not in source coordinates.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public FaceDetection Track(Image<Rgb24> image, FaceLandmarks previous) => Track(image, previous, null);

    internal FaceDetection Track(Image<Rgb24> image, FaceLandmarks previous, LandmarkTimings? timings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.Space != CoordinateSpace.Source)
        {
            throw new ArgumentException($"Tracking needs the previous landmarks in source pixels, not {previous.Space}.", nameof(previous));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        long t0 = Stopwatch.GetTimestamp();
        SourceFrame frame = WorkingFrame(image);
        var working = new Vector3[FaceLandmarks.MeshCount];
        ReadOnlySpan<Vector3> points = previous.Points;
        for (int i = 0; i < working.Length; i++)
        {
            working[i] = points[i] / frame.Scale; // source pixels to working pixels
        }

        (Vector2 center, float side, float angle) = RoiFromLandmarks(working);
        (Vector3[] mesh, float score) = RunMesh(frame, center, side, angle, timings, ref t0);
        if (score < Options.MinLandmarkScore)
        {
            return Result(FaceDetectionStatus.LowConfidence, [], frame);
        }

        Vector2 min = new(float.MaxValue), max = new(float.MinValue);
        foreach (Vector3 p in mesh)
        {
            min = Vector2.Min(min, new Vector2(p.X, p.Y));
            max = Vector2.Max(max, new Vector2(p.X, p.Y));
        }

        var box = new RectangleF(min.X * frame.Scale, min.Y * frame.Scale, (max.X - min.X) * frame.Scale, (max.Y - min.Y) * frame.Scale);
        DetectedFace face = Finish(frame, mesh, score, box, score, timings, ref t0);
        return Result(FaceDetectionStatus.Found, [face], frame);
    }

    /// <summary>The post-processing shared by detection and tracking: iris model, eye refinement, reflexes, pose.</summary>
    private DetectedFace Finish(SourceFrame frame, Vector3[] mesh, float score, RectangleF box, float confidence, LandmarkTimings? timings, ref long t0)
    {
        var points = new Vector3[FaceLandmarks.Count];
        mesh.CopyTo(points, 0);
        Vector3[][] contours = RunIris(frame, mesh, points, timings, ref t0);

        // Eye image refinement (EyeImageRefiner.cs): limbus and lid-edge fit on the working pixels.
        float[] effective = new float[2];
        (bool rightCanthi, bool leftCanthi) = EyeImageRefiner.Refine(frame.Pixels.Span, frame.Width, frame.Height, points, contours, Options.EyeImageRefinement, effectiveDiameters: effective);
        if (Options.LidOpeningCheck)
        {
            // LidOpeningCheck.cs: a lid the image shows over the iris, where the contour leaves it open.
            LidOpeningCheck.Apply(frame.Pixels.Span, frame.Width, frame.Height, points, contours);
        }

        // Corneal light reflexes on the working pixels, with the refined iris and the mesh lids (the search reads no contour).
        CornealReflexes reflexes = CornealReflexDetector.Detect(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(frame.Pixels.Span), frame.Width, frame.Height, new FaceLandmarks(points))
            .Transform(Matrix3x2.CreateScale(frame.Scale));

        for (int i = 0; i < points.Length; i++)
        {
            points[i] *= frame.Scale; // working pixels to source pixels
        }

        foreach (Vector3[] contour in contours)
        {
            for (int i = 0; i < contour.Length; i++)
            {
                contour[i] *= frame.Scale;
            }
        }

        RefineEyeMesh(points, contours[0], EyeContour.RightEyeMeshIndices, Options.EyeMeshRefinement);
        RefineEyeMesh(points, contours[1], EyeContour.LeftEyeMeshIndices, Options.EyeMeshRefinement);
        var landmarks = new FaceLandmarks(points, CoordinateSpace.Source,
            new EyeContour(contours[0], rightCanthi) { EffectiveIrisDiameterPixels = effective[0] },
            new EyeContour(contours[1], leftCanthi) { EffectiveIrisDiameterPixels = effective[1] },
            reflexes);
        HeadPose pose = HeadPoseEstimator.Estimate(points);
        var face = new DetectedFace(box, confidence, score, landmarks, pose);
        timings?.Add(ref timings.Postprocess, ref t0);
        return face;
    }

    /// <summary>Tracking ROI: rotation from the outer eye corners, landmark extent x <see cref="MediaPipeLandmarkDetectorOptions.RefinedCropScale"/>, square.</summary>
    private (Vector2 Center, float Side, float Angle) RoiFromLandmarks(Vector3[] mesh)
    {
        Vector2 a = new(mesh[RightEyeOuter].X, mesh[RightEyeOuter].Y);
        Vector2 b = new(mesh[LeftEyeOuter].X, mesh[LeftEyeOuter].Y);
        float angle = MathF.Atan2(b.Y - a.Y, b.X - a.X);
        Matrix3x2 toLocal = Matrix3x2.CreateRotation(-angle);
        Vector2 min = new(float.MaxValue), max = new(float.MinValue);
        foreach (Vector3 p in mesh)
        {
            Vector2 local = Vector2.Transform(new Vector2(p.X, p.Y), toLocal);
            min = Vector2.Min(min, local);
            max = Vector2.Max(max, local);
        }

        Matrix3x2.Invert(toLocal, out Matrix3x2 toSource);
        Vector2 center = Vector2.Transform((min + max) / 2, toSource);
        Vector2 extent = max - min;
        return (center, MathF.Max(extent.X, extent.Y) * Options.RefinedCropScale, angle);
    }

    /// <summary>Crop q in [0, size)^2 to source: centre + R(angle) * (mirror) * (q / size - 0.5) * side.</summary>
    private static Matrix3x2 CropToSource(Vector2 center, float side, float angle, int size, bool mirror) =>
        Matrix3x2.CreateTranslation(-size / 2f, -size / 2f)
        * Matrix3x2.CreateScale(side / size * (mirror ? -1 : 1), side / size)
        * Matrix3x2.CreateRotation(angle)
        * Matrix3x2.CreateTranslation(center);

    private (Vector3[] Mesh, float Score) RunMesh(SourceFrame frame, Vector2 center, float side, float angle, LandmarkTimings? timings, ref long t0)
    {
        // With mirror averaging, the batch holds the crop and its mirror image; the mirrored result,
        // mapped back through the mirrored crop and re-paired left/right, is averaged with the first.
        int batch = Options.MirrorAveraging ? 2 : 1;
        const int planeSize = MeshSize * MeshSize * 3;
        var toSource = new Matrix3x2[batch];
        float[] raw;
        float[] scores;
        float[] input = ArrayPool<float>.Shared.Rent(batch * planeSize);
        try
        {
            toSource[0] = CropToSource(center, side, angle, MeshSize, mirror: false);
            AffineCropSampler.Sample(frame.Pixels.Span, frame.Width, frame.Height, toSource[0], MeshSize, 1f, 0f,
                AffineCropSampler.SupersampleFor(side / MeshSize), input.AsSpan(0, planeSize));
            if (batch == 2)
            {
                // The mirrored crop samples exactly the mirrored positions: flip the first one's rows.
                toSource[1] = CropToSource(center, side, angle, MeshSize, mirror: true);
                AffineCropSampler.FlipHorizontally(input.AsSpan(0, planeSize), input.AsSpan(planeSize, planeSize), MeshSize);
            }

            timings?.Add(ref timings.Preprocess, ref t0);

            var tensor = new DenseTensor<float>(input.AsMemory(0, batch * planeSize), [batch, MeshSize, MeshSize, 3]);
            using var results = _mesh.Run([NamedOnnxValue.CreateFromTensor("input_1", tensor)], ["Identity_1", "Identity_2"]);
            scores = results.First(r => r.Name == "Identity_1").AsTensor<float>().ToArray();
            raw = results.First(r => r.Name == "Identity_2").AsTensor<float>().ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }

        timings?.Add(ref timings.Mesh, ref t0);
        float zScale = side / MeshSize;
        var mesh = new Vector3[FaceLandmarks.MeshCount];
        ReadOnlySpan<int> partner = FaceMeshSymmetry.Map;
        for (int b = 0; b < batch; b++)
        {
            int offset = b * FaceLandmarks.MeshCount * 3;
            for (int i = 0; i < mesh.Length; i++)
            {
                int o = offset + (3 * i);
                Vector2 p = Vector2.Transform(new Vector2(raw[o], raw[o + 1]), toSource[b]);
                int target = b == 0 ? i : partner[i];
                mesh[target] += new Vector3(p, raw[o + 2] * zScale) / batch;
            }
        }

        float score = scores.Average();
        if (!float.IsFinite(score))
        {
            score = 0;
        }

        return (mesh, score);
    }

    /// <summary>Overwrites the mesh points the contour refines (<see cref="EyeMeshRefinement"/>).</summary>
    private static void RefineEyeMesh(Vector3[] points, Vector3[] contour, ReadOnlySpan<int> meshIndices, EyeMeshRefinement refinement)
    {
        if (refinement == EyeMeshRefinement.None)
        {
            return;
        }

        int last = refinement == EyeMeshRefinement.Full ? EyeContour.Count : 16;
        for (int i = 0; i < last; i++)
        {
            bool canthus = i is EyeContour.OuterCanthusIndex or EyeContour.InnerCanthusIndex;
            if (refinement == EyeMeshRefinement.LidMargin && canthus)
            {
                continue;
            }

            points[meshIndices[i]] = contour[i];
        }
    }

    /// <summary>
    /// Runs the iris model on both eyes in one batch, writes points 468..477 and returns the two 71-point eye
    /// contours (subject's right eye, then left), in working pixels.
    /// </summary>
    private Vector3[][] RunIris(SourceFrame frame, Vector3[] mesh, Vector3[] destination, LandmarkTimings? timings, ref long t0)
    {
        const int planeSize = IrisSize * IrisSize * 3;
        // Subject's right eye as is; subject's left eye mirrored, so both look like a right eye.
        (int Left, int Right, bool Mirror, int First)[] eyes =
            [(RightEyeOuter, RightEyeInner, false, 468), (LeftEyeInner, LeftEyeOuter, true, 473)];
        var toSource = new Matrix3x2[2];
        var sides = new float[2];
        float[] raw;
        float[] input = ArrayPool<float>.Shared.Rent(2 * planeSize);
        try
        {
            for (int e = 0; e < 2; e++)
            {
                Vector2 a = new(mesh[eyes[e].Left].X, mesh[eyes[e].Left].Y);
                Vector2 b = new(mesh[eyes[e].Right].X, mesh[eyes[e].Right].Y);
                sides[e] = Vector2.Distance(a, b) * IrisCropScale;
                float angle = MathF.Atan2(b.Y - a.Y, b.X - a.X);
                toSource[e] = CropToSource((a + b) / 2, MathF.Max(sides[e], 1e-3f), angle, IrisSize, eyes[e].Mirror);
                AffineCropSampler.Sample(frame.Pixels.Span, frame.Width, frame.Height, toSource[e], IrisSize, 1f, 0f,
                    AffineCropSampler.SupersampleFor(sides[e] / IrisSize), input.AsSpan(e * planeSize, planeSize));
            }

            timings?.Add(ref timings.Preprocess, ref t0);

            var tensor = new DenseTensor<float>(input.AsMemory(0, 2 * planeSize), [2, IrisSize, IrisSize, 3]);
            using var results = _iris.Run([NamedOnnxValue.CreateFromTensor("input_1", tensor)]);
            raw = results.First().AsTensor<float>().ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }

        timings?.Add(ref timings.Iris, ref t0);

        const int perEye = 228;
        Vector3[][] contours = [new Vector3[EyeContour.Count], new Vector3[EyeContour.Count]];
        for (int e = 0; e < 2; e++)
        {
            // Depth: the iris model's depth is relative to its own crop; anchor it at the mesh depth of the eye corners.
            int baseIndex = e * perEye;
            float zScale = sides[e] / IrisSize;
            float contourZ = 0;
            for (int i = 0; i < 71; i++)
            {
                contourZ += raw[baseIndex + (3 * i) + 2];
            }

            contourZ /= 71;
            float meshZ = (mesh[eyes[e].Left].Z + mesh[eyes[e].Right].Z) / 2;

            // Contour (model order, outer canthus first: the mirrored crop makes the left eye look like a right eye).
            for (int i = 0; i < EyeContour.Count; i++)
            {
                int o = baseIndex + (3 * i);
                Vector2 p = Vector2.Transform(new Vector2(raw[o], raw[o + 1]), toSource[e]);
                float z = meshZ + ((raw[o + 2] - contourZ) * zScale);
                contours[e][i] = float.IsFinite(p.X) && float.IsFinite(p.Y)
                    ? new Vector3(p, float.IsFinite(z) ? z : meshZ)
                    : new Vector3(mesh[eyes[e].Left].X, mesh[eyes[e].Left].Y, meshZ);
            }

            for (int k = 0; k < 5; k++)
            {
                int o = baseIndex + ((71 + k) * 3);
                Vector2 p = Vector2.Transform(new Vector2(raw[o], raw[o + 1]), toSource[e]);
                float z = meshZ + ((raw[o + 2] - contourZ) * zScale);
                destination[eyes[e].First + k] = new Vector3(p, float.IsFinite(z) ? z : meshZ);
            }
        }

        return contours;
    }

    private static InferenceSession Open(string what, FaceModelSource? source, string resource, SessionOptions options,
        string inputName, int[] inputShape, string[] outputs, List<InferenceSession> created)
    {
        byte[] bytes = source is null ? EmbeddedModels.Read(resource) : source.ReadAll(what);
        string origin = source?.ToString() ?? $"embedded resource {resource}";
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FaceDefenderException($"The {what} model ({origin}) could not be loaded by ONNX Runtime: {e.Message}. Pass a valid MediaPipe {what} ONNX model or omit it to use the embedded one.", e);
        }

        created.Add(session);
        string expected = $"input '{inputName}' [{string.Join(",", inputShape)}] and outputs {string.Join(", ", outputs)}";
        if (!session.InputMetadata.TryGetValue(inputName, out NodeMetadata? input) || session.InputMetadata.Count != 1
            || !input.Dimensions.Skip(1).SequenceEqual(inputShape.Skip(1))
            || outputs.Any(o => !session.OutputMetadata.ContainsKey(o)))
        {
            throw new FaceDefenderException($"The {what} model ({origin}) is not the expected MediaPipe model: it needs {expected}.");
        }

        return session;
    }

    /// <summary>Working pixels (Width x Height); working coordinates x Scale = source coordinates.</summary>
    private readonly record struct SourceFrame(ReadOnlyMemory<Rgb24> Pixels, int Width, int Height, float Scale, int SourceWidth, int SourceHeight);
}

/// <summary>Accumulated wall-clock time per stage, in milliseconds (for benchmarks and docs).</summary>
internal sealed class LandmarkTimings
{
    public double Preprocess;
    public double Detector;
    public double Mesh;
    public double Iris;
    public double Postprocess;

    public void Add(ref double stage, ref long t0)
    {
        long now = Stopwatch.GetTimestamp();
        stage += Stopwatch.GetElapsedTime(t0, now).TotalMilliseconds;
        t0 = now;
    }
}
