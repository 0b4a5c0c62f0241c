using System.Diagnostics;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Fusion;

/// <summary>
/// The FaceDefender fusion: a similarity transform fitted on the eye and brow landmarks carries the
/// patient's periocular region onto the avatar, colour-corrected towards the avatar's skin and blended
/// through a feathered mask (the union of the patient's and the avatar's region hulls; for <see cref="RoiPreset.Paper"/>, by
/// default only where the patient's pixels look like skin, see <see cref="FusionOptions.SkinFollowingMask"/>).
/// </summary>
/// <remarks>
/// <para>Unlike the prototype, the patient photo is resampled once, straight into the avatar frame: the
/// FFHQ-style normalisation (<see cref="FaceNormalizer"/>) and the fit are both similarities, so their
/// composition is the fitted transform itself, and a second interpolation would only blur the eyes.</para>
/// <para>Landmarks are in continuous coordinates (pixel centres at +0.5, as MediaPipe); the fitted transform is
/// converted with <see cref="AffineWarp.FromContinuousCoordinates"/> before warping, and hulls are rasterised directly.</para>
/// <para>Outside the mask every output pixel is the avatar's pixel, bit for bit. Only the part of the
/// image under the mask (plus the colour-correction blur's support) is warped and corrected.</para>
/// <para>Stateless and thread-safe: one instance can serve many threads.</para>
/// </remarks>
public sealed class PeriocularFaceFuser : IFaceFuser
{
    /// <inheritdoc />
    public FusionResult Fuse(Image<Rgb24> patient, FaceLandmarks patientLandmarks, Image<Rgb24> avatar, FaceLandmarks avatarLandmarks, FusionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(patientLandmarks);
        ArgumentNullException.ThrowIfNull(avatar);
        ArgumentNullException.ThrowIfNull(avatarLandmarks);
        options ??= FusionOptions.Default;
        var clock = Stopwatch.StartNew();

        int[] align = FusionLandmarkSets.Alignment;
        SimilarityTransform sim = TransformEstimation.EstimateSimilarity(patientLandmarks.Select(align), avatarLandmarks.Select(align));
        Matrix3x2 m = sim.ToMatrix();
        int w = avatar.Width, h = avatar.Height;
        float ipd = Vector2.Distance(avatarLandmarks[468], avatarLandmarks[473]);
        if (!(ipd > 4f))
        {
            throw new ArgumentException($"The avatar's iris centres are {ipd:F1} px apart: its landmarks do not describe a usable face.", nameof(avatarLandmarks));
        }

        if (options.Roi == RoiPreset.GeometryOnly)
        {
            return FuseGeometryOnly(patient, patientLandmarks, avatar, avatarLandmarks, options, sim, clock);
        }

        // The skin-following region: the hard hulls are kept until the warped patient can be classified; until then the
        // bounds are the hulls' grown by the feather's reach, which hold the refined, feathered mask.
        bool followSkin = options.FollowsSkin;
        float[]? hull = null;
        float[] mask;
        Rectangle bounds;
        if (followSkin)
        {
            hull = BuildHull(patientLandmarks, avatarLandmarks, m, w, h, ipd, options);
            mask = WorkBuffers.Floats.Rent(w * h);
            bounds = GrowByFeather(MaskOperations.NonZeroBounds(hull.AsSpan(0, w * h), w, h), FeatherKernel(options, ipd), w, h);
            if (bounds.IsEmpty)
            {
                mask.AsSpan(0, w * h).Clear();
            }
        }
        else
        {
            mask = BuildMask(patientLandmarks, avatarLandmarks, m, w, h, ipd, options);
            bounds = MaskOperations.NonZeroBounds(mask, w, h);
        }

        float colorSigma = options.ColorCorrectionSigmaFraction * ipd;

        var output = new Image<Rgb24>(w, h);
        int n = w * h * 3;
        byte[] warped = WorkBuffers.Bytes.Rent(n);
        byte[] corrected = WorkBuffers.Bytes.Rent(n);
        byte[]? background = null;
        byte[]? weight = null;
        try
        {
            using PixelBuffer av = PixelBuffer.Read(avatar);
            using PixelBuffer pt = PixelBuffer.Read(patient);
            using PixelBuffer o = PixelBuffer.Write(output);
            if (bounds.IsEmpty)
            {
                av.Bytes.CopyTo(o.Bytes);
            }
            else
            {
                // The avatar as the output's background: as rendered, or degraded to the photo's blur and noise around the mask.
                ReadOnlySpan<byte> reference = av.Bytes;
                if (options.CaptureMatching == CaptureMatching.BlurAndNoise)
                {
                    (float blur, float noise) = CaptureMatcher.Estimate(pt.Bytes, pt.Width, pt.Height, patientLandmarks);
                    background = WorkBuffers.Bytes.Rent(n);
                    av.Bytes.CopyTo(background);
                    CaptureMatcher.Degrade(background.AsSpan(0, n), w, h, avatarLandmarks, ipd, bounds, m, blur, noise);
                    reference = background.AsSpan(0, n);
                }

                int support = (int)MathF.Ceiling(3 * colorSigma) + (2 * (int)(colorSigma / 4)) + 2;
                Rectangle warpRegion = Rectangle.Intersect(
                    Rectangle.FromLTRB(bounds.Left - support, bounds.Top - support, bounds.Right + support, bounds.Bottom + support),
                    new Rectangle(0, 0, w, h));
                Array.Clear(warped, 0, n);
                AffineWarp.WarpRgb24(pt.Bytes, pt.Width, pt.Height, warped.AsSpan(0, n), w, h, AffineWarp.FromContinuousCoordinates(m),
                    WarpBorderMode.Constant, (255, 255, 255), warpRegion);
                if (followSkin)
                {
                    PeriocularSkinMask.Refine(hull!.AsSpan(0, w * h), warped.AsSpan(0, n), patientLandmarks, avatarLandmarks, m, w, h, ipd, options.Roi,
                        SkinCoreEyeGrowFraction * ipd, options.SkinTerms);
                    Feather(hull!, mask, w, h, FeatherKernel(options, ipd));
                    bounds = MaskOperations.NonZeroBounds(mask.AsSpan(0, w * h), w, h);
                }

                if (followSkin && options.SkinWeightedColor)
                {
                    weight = WorkBuffers.Bytes.Rent(w * h);
                    PeriocularSkinMask.FillColorWeight(weight.AsSpan(0, w * h), hull, patientLandmarks, avatarLandmarks, m, w, h, ipd, warpRegion);
                    ColorTransfer.ApplyWeighted(warped.AsSpan(0, n), reference, weight.AsSpan(0, w * h), warpRegion, mask, corrected.AsSpan(0, n), w, h,
                        colorSigma, options.ColorTransferBlur, options.ColorTransferMode, SkinColorMinWeight);
                }
                else if (options.ColorReference == ColorReferenceRegion.SurroundingSkin)
                {
                    weight = WorkBuffers.Bytes.Rent(w * h);
                    BuildSkinWeight(weight.AsSpan(0, w * h), patientLandmarks, avatarLandmarks, m, w, h, ipd, warpRegion);
                    ColorTransfer.ApplyWeighted(warped.AsSpan(0, n), reference, weight.AsSpan(0, w * h), warpRegion, mask, corrected.AsSpan(0, n), w, h,
                        colorSigma, options.ColorTransferBlur, options.ColorTransferMode);
                }
                else
                {
                    ColorTransfer.Apply(warped.AsSpan(0, n), reference, mask, corrected.AsSpan(0, n), w, h, colorSigma, options.ColorTransferBlur, 1, options.ColorTransferMode);
                }

                // Outside the mask's rows the output is the background: copy it, then blend only those rows, in place.
                reference.CopyTo(o.Bytes);
                int first = bounds.Top * w, count = bounds.Height * w;
                AlphaBlend.Blend(o.Bytes.Slice(3 * first, 3 * count), corrected.AsSpan(3 * first, 3 * count), mask.AsSpan(first, count), o.Bytes.Slice(3 * first, 3 * count));
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            WorkBuffers.Bytes.Return(warped);
            WorkBuffers.Bytes.Return(corrected);
            if (background is not null)
            {
                WorkBuffers.Bytes.Return(background);
            }

            if (weight is not null)
            {
                WorkBuffers.Bytes.Return(weight);
            }

            if (hull is not null)
            {
                WorkBuffers.Floats.Return(hull);
            }
        }

        FaceLandmarks mapped = patientLandmarks.Transform(m, CoordinateSpace.Output);
        return new FusionResult(output, mapped, sim, mask, bounds, options, clock.Elapsed) { MaskIsPooled = true };
    }

    /// <summary>
    /// <see cref="RoiPreset.GeometryOnly"/>: the patient image is read only by <see cref="CornealReflexDetector"/>
    /// (a position and a size per eye); the output is rendered from the avatar and the mapped geometry alone.
    /// </summary>
    private static FusionResult FuseGeometryOnly(Image<Rgb24> patient, FaceLandmarks patientLandmarks, Image<Rgb24> avatar, FaceLandmarks avatarLandmarks,
        FusionOptions options, SimilarityTransform sim, Stopwatch clock)
    {
        Matrix3x2 m = sim.ToMatrix();
        FaceLandmarks mapped = patientLandmarks.Transform(m, CoordinateSpace.Output);
        // The synthetic eyes copy any compact highlight (also one near the iris edge or beside another): the measurement's
        // stricter reflexes are not needed for a natural look.
        CornealReflexes reflexes = CornealReflexDetector.DetectHighlights(patient, patientLandmarks).Transform(m);
        if (options.SyntheticEyes.Placement == EyePlacement.AvatarPositions)
        {
            (mapped, Matrix3x2 right, Matrix3x2 left) = SyntheticEyeRenderer.PlaceEyesOnAvatar(mapped, avatarLandmarks);
            reflexes = new CornealReflexes(reflexes.Right?.Transform(right), reflexes.Left?.Transform(left), reflexes.RightStatus, reflexes.LeftStatus);
        }

        // Round the kept geometry (measured with the detector's own reflexes, carried by the landmarks) to its clinical steps
        // before anything is drawn: the output carries the rounded values only.
        GeometryRounding.Result rounded = GeometryRounding.Apply(mapped, reflexes, options.SyntheticEyes.Precision);
        if (!options.SyntheticEyes.Precision.IsExact)
        {
            mapped = rounded.Landmarks;
            reflexes = rounded.Reflexes;
        }

        SyntheticEyeResult synthetic = SyntheticEyeRenderer.Render(avatar, avatarLandmarks, mapped, reflexes, options.SyntheticEyes);
        return new FusionResult(synthetic.Image, mapped, sim, synthetic.MaskArray, synthetic.MaskBounds, options, clock.Elapsed, reflexes)
        {
            KeptMeasurements = rounded.Measurements,
        };
    }

    /// <summary>
    /// The colour reference of <see cref="ColorReferenceRegion.SurroundingSkin"/>: 1 inside <paramref name="region"/> except in the
    /// eye openings of the patient (mapped) and of the avatar, each grown by 4 % of the inter-pupil distance for the lashes.
    /// </summary>
    internal static void BuildSkinWeight(Span<byte> weight, FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, int w, int h,
        float ipd, Rectangle region)
    {
        float[] rented = WorkBuffers.Floats.Rent(w * h);
        Span<float> eyes = rented.AsSpan(0, w * h);
        eyes.Slice(region.Top * w, region.Height * w).Clear();
        FillGrownHulls(eyes, patient, avatar, patientToOutput, w, h, RoiPreset.EyesOnly, 0.04f * ipd);

        weight.Clear();
        for (int y = region.Top; y < region.Bottom; y++)
        {
            for (int x = region.Left; x < region.Right; x++)
            {
                weight[(y * w) + x] = eyes[(y * w) + x] < 0.5f ? (byte)1 : (byte)0;
            }
        }

        WorkBuffers.Floats.Return(rented);
    }

    /// <summary>
    /// Fills, for each eye, the convex hull of the preset's landmark group of the patient (mapped to the output) and of the
    /// avatar, each grown by <paramref name="grow"/> pixels.
    /// </summary>
    private static void FillGrownHulls(Span<float> target, FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, int w, int h,
        RoiPreset roi, float grow)
    {
        foreach (bool left in new[] { true, false })
        {
            int[] group = FusionLandmarkSets.MaskGroup(roi, left);
            Vector2[] fromPatient = patient.Select(group);
            for (int i = 0; i < fromPatient.Length; i++)
            {
                fromPatient[i] = Vector2.Transform(fromPatient[i], patientToOutput);
            }

            PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(fromPatient), grow), target, w, h);
            PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(avatar.Select(group)), grow), target, w, h);
        }
    }

    /// <summary>Growth of the skin mask's protected eye openings: the eyes-only preset's default margin.</summary>
    internal const float SkinCoreEyeGrowFraction = 0.08f;

    /// <summary>Floor of the skin colour reference's blurred weight (see <see cref="ColorTransfer.ApplyWeighted"/>).</summary>
    internal const float SkinColorMinWeight = 0.1f;

    /// <summary>The union of the patient's (mapped) and the avatar's region hulls, grown, not feathered (pooled; the caller returns it).</summary>
    internal static float[] BuildHull(FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, int w, int h, float ipd, FusionOptions options)
    {
        float[] rented = WorkBuffers.Floats.Rent(w * h);
        rented.AsSpan(0, w * h).Clear();
        FillGrownHulls(rented.AsSpan(0, w * h), patient, avatar, patientToOutput, w, h, options.Roi, options.MaskDilationFraction * ipd);
        return rented;
    }

    private static GaussianKernel FeatherKernel(FusionOptions options, float ipd) => GaussianKernel.Create(Math.Max(0.3f, options.FeatherSigmaFraction * ipd));

    /// <summary>A rectangle grown by the feather kernel's radius and a pixel, within the image: where feathering can reach.</summary>
    private static Rectangle GrowByFeather(Rectangle r, GaussianKernel kernel, int w, int h)
    {
        if (r.IsEmpty)
        {
            return r;
        }

        int pad = kernel.Radius + 1;
        return Rectangle.Intersect(Rectangle.FromLTRB(r.Left - pad, r.Top - pad, r.Right + pad, r.Bottom + pad), new Rectangle(0, 0, w, h));
    }

    /// <summary>Feathers a hard mask into <paramref name="feathered"/> (cleared first), only around the mask.</summary>
    private static void Feather(float[] hard, float[] feathered, int w, int h, GaussianKernel kernel)
    {
        feathered.AsSpan(0, w * h).Clear();
        Rectangle hull = MaskOperations.NonZeroBounds(hard.AsSpan(0, w * h), w, h);
        if (!hull.IsEmpty)
        {
            SeparableGaussianBlur.BlurPlane(hard.AsSpan(0, w * h), feathered.AsSpan(0, w * h), w, h, 1, kernel, BlurBorderMode.Replicate, GrowByFeather(hull, kernel, w, h));
        }
    }

    /// <summary>The union of the patient's (mapped) and the avatar's region hulls, grown and feathered.</summary>
    internal static float[] BuildMask(FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, int w, int h, float ipd, FusionOptions options)
    {
        float[] hard = BuildHull(patient, avatar, patientToOutput, w, h, ipd, options);

        // Feather only around the hulls: beyond the kernel radius the blur of zeros is exactly zero. The mask is pooled (4 MB at
        // 1024 x 1024, once a frame in a video): the FusionResult returns it when disposed.
        float[] feathered = WorkBuffers.Floats.Rent(w * h);
        Feather(hard, feathered, w, h, FeatherKernel(options, ipd));
        WorkBuffers.Floats.Return(hard);
        return feathered;
    }
}
