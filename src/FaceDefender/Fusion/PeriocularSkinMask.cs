using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;

namespace FaceDefender.Fusion;

/// <summary>
/// The skin-following part of the kept region (<see cref="FusionOptions.SkinFollowingMask"/>): inside the landmark hulls,
/// the patient's pixels are kept only where they look like the patient's own periocular skin, so hair, brows beyond the
/// kept ones, glasses frames and background drop out and the avatar shows there instead.
/// </summary>
/// <remarks>
/// <para>A protected core is always kept as the hulls give it: each eye opening (the lid contour of the patient, mapped,
/// and of the avatar) grown by the eyes-only margin, and the patient's brows (the preset keeps brows). Elsewhere in the
/// hulls each pixel of the warped patient image gets a skin score, the product of three soft terms against statistics of
/// the patient's skin, sampled in a ring around the patient's eye openings just outside the core (lid and under-eye skin):
/// chroma (Mahalanobis distance in YCbCr's Cb/Cr plane from the samples' robust mean and covariance), lightness (luma
/// against the local lightness of the skin around the pixel, so that the shading of the lids and the eye socket is not
/// taken for hair; darker is tolerated less than lighter) and texture (local high-pass energy of luma against the skin's
/// own level: hair strands and frame edges are thin, high-contrast structures). Locations and spreads come from each
/// channel's shortest half, which stays on the skin when up to half the samples are hair or frame; spreads are capped so
/// that wrinkled or unevenly lit skin does not widen the model until a brown frame passes. The score is smoothed by a small
/// Gaussian and kept at 0.5 or more, which removes speckle and closes thin creases.</para>
/// <para>Privacy: the hull mask is only multiplied by a factor between 0 and 1, so the refined mask can remove patient
/// pixels, never add any.</para>
/// <para>All working buffers come from <see cref="WorkBuffers"/>; statistics use fixed-size histograms on the stack, so the
/// result is deterministic and nothing is allocated per pixel.</para>
/// </remarks>
internal static class PeriocularSkinMask
{
    // Histogram resolution: 4 bins per grey level over 0..255 (luma and chroma), 16 per level over 0..64 (texture energy).
    private const int Bins = 1024;
    private const float BinsPerLevel = 4f;
    private const float TextureBinsPerLevel = 16f;

    /// <summary>Brow landmarks (upper and lower edge) of the subject's left side.</summary>
    private static ReadOnlySpan<int> LeftBrowOutline => [336, 296, 334, 293, 300, 276, 283, 282, 295, 285];

    /// <summary>Brow landmarks (upper and lower edge) of the subject's right side.</summary>
    private static ReadOnlySpan<int> RightBrowOutline => [107, 66, 105, 63, 70, 46, 53, 52, 65, 55];

    /// <summary>Fractions of the inter-pupil distance that set the filter sizes and the sample ring (chosen on the development
    /// seed of the painted captures, see docs/fusion.md).</summary>
    internal const float TextureSigmaFraction = 0.006f;
    internal const float EnergySigmaFraction = 0.012f;
    internal const float CleanSigmaFraction = 0.016f;
    internal const float BrowGrowFraction = 0.025f;
    internal const float SampleRingFraction = 0.11f;

    /// <summary>Caps of the skin's spread: luma sigma at most 15 % of its level, chroma sigma at most 6 levels. Heavily
    /// wrinkled or unevenly lit lid skin otherwise widens the model until a brown frame passes as skin; the thin dark
    /// creases the cap then marks are put back by the cleaning blur.</summary>
    internal const float MaxLumaSpread = 0.2f;
    internal const float MaxChromaSpread = 6f;

    /// <summary>Which terms of the skin score are used (all by default; the others exist to measure each term's share).</summary>
    [Flags]
    internal enum Terms
    {
        None = 0,
        Chroma = 1,
        Lightness = 2,
        Texture = 4,
        All = Chroma | Lightness | Texture,
    }

    /// <summary>
    /// Fills the protected core: each eye opening of the patient (mapped) and of the avatar grown by <paramref name="eyeGrow"/>,
    /// and, for presets with brows, the patient's brow outline grown by 2.5 % of the inter-pupil distance.
    /// </summary>
    /// <param name="target">The mask drawn into, <paramref name="w"/> x <paramref name="h"/>, its pixel (0, 0) at output pixel <paramref name="origin"/>.</param>
    /// <param name="patient">The patient's landmarks (photo frame).</param>
    /// <param name="avatar">The avatar's landmarks (output frame).</param>
    /// <param name="patientToOutput">The fitted similarity, photo to output.</param>
    /// <param name="w">Width of <paramref name="target"/>.</param>
    /// <param name="h">Height of <paramref name="target"/>.</param>
    /// <param name="roi">The region preset.</param>
    /// <param name="ipd">The avatar's inter-pupil distance in output pixels.</param>
    /// <param name="eyeGrow">Growth of the eye openings, in pixels.</param>
    /// <param name="origin">The output pixel at the target's (0, 0); default the output's own origin.</param>
    internal static void FillCore(Span<float> target, FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, int w, int h,
        RoiPreset roi, float ipd, float eyeGrow, Vector2 origin = default)
    {
        foreach (bool left in new[] { true, false })
        {
            int[] eye = FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left);
            PolygonRasterizer.FillPolygon(Shifted(ConvexHull.Dilate(ConvexHull.Compute(Mapped(patient, eye, patientToOutput)), eyeGrow), origin), target, w, h);
            PolygonRasterizer.FillPolygon(Shifted(ConvexHull.Dilate(ConvexHull.Compute(avatar.Select(eye)), eyeGrow), origin), target, w, h);
            if (roi != RoiPreset.EyesOnly)
            {
                int[] brow = left ? LeftBrowOutline.ToArray() : RightBrowOutline.ToArray();
                PolygonRasterizer.FillPolygon(Shifted(ConvexHull.Dilate(ConvexHull.Compute(Mapped(patient, brow, patientToOutput)), BrowGrowFraction * ipd), origin), target, w, h);
            }
        }
    }

    /// <summary>
    /// The colour reference of a skin-following region: 1 where the refined region keeps at least half the patient's pixel,
    /// except in the eye openings of both faces (grown by 4 % of the inter-pupil distance for the lashes) and the brows of
    /// both faces; 0 elsewhere. Hair, frames and background beside the kept skin then no longer pull its colour correction.
    /// </summary>
    internal static void FillColorWeight(Span<byte> weight, ReadOnlySpan<float> refined, FaceLandmarks patient, FaceLandmarks avatar,
        Matrix3x2 patientToOutput, int w, int h, float ipd, Rectangle region)
    {
        float[] rented = WorkBuffers.Floats.Rent(w * h);
        try
        {
            Span<float> excluded = rented.AsSpan(0, w * h);
            excluded.Clear();
            foreach (bool left in new[] { true, false })
            {
                int[] eye = FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left);
                int[] brow = left ? LeftBrowOutline.ToArray() : RightBrowOutline.ToArray();
                float grow = 0.04f * ipd;
                PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(Mapped(patient, eye, patientToOutput)), grow), excluded, w, h);
                PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(avatar.Select(eye)), grow), excluded, w, h);
                PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(Mapped(patient, brow, patientToOutput)), BrowGrowFraction * ipd), excluded, w, h);
                PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(avatar.Select(brow)), BrowGrowFraction * ipd), excluded, w, h);
            }

            weight.Clear();
            for (int y = region.Top; y < region.Bottom; y++)
            {
                for (int x = region.Left; x < region.Right; x++)
                {
                    int i = (y * w) + x;
                    weight[i] = refined[i] >= 0.5f && excluded[i] <= 0f ? (byte)1 : (byte)0;
                }
            }
        }
        finally
        {
            WorkBuffers.Floats.Return(rented);
        }
    }

    /// <summary>
    /// Multiplies <paramref name="hull"/> (values 0 to 1) by the kept-skin factor: 1 in the core, the cleaned skin decision
    /// elsewhere. Reads the warped patient image in the hull's bounding box only.
    /// </summary>
    /// <param name="hull">The hull mask, full image, updated in place; values never grow.</param>
    /// <param name="warped">The patient image warped into the output frame, interleaved RGB, valid at least over the hull's box.</param>
    /// <param name="patient">The patient's landmarks (photo frame).</param>
    /// <param name="avatar">The avatar's landmarks (output frame).</param>
    /// <param name="patientToOutput">The fitted similarity, photo to output.</param>
    /// <param name="w">Output width.</param>
    /// <param name="h">Output height.</param>
    /// <param name="ipd">The avatar's inter-pupil distance in output pixels.</param>
    /// <param name="roi">The region preset.</param>
    /// <param name="eyeGrow">Growth of the eye openings of the core, in pixels.</param>
    /// <param name="terms">Which terms the skin score uses.</param>
    internal static void Refine(Span<float> hull, ReadOnlySpan<byte> warped, FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput,
        int w, int h, float ipd, RoiPreset roi, float eyeGrow, Terms terms = Terms.All)
    {
        Rectangle box = MaskOperations.NonZeroBounds(hull, w, h);
        if (box.IsEmpty)
        {
            return;
        }

        int bw = box.Width, bh = box.Height, n = bw * bh;
        float[] coreBox = WorkBuffers.Floats.Rent(n);
        float[] luma = WorkBuffers.Floats.Rent(n);
        float[] cb = WorkBuffers.Floats.Rent(n);
        float[] cr = WorkBuffers.Floats.Rent(n);
        float[] tmp = WorkBuffers.Floats.Rent(n);
        float[] energy = WorkBuffers.Floats.Rent(n);
        float[] ring = WorkBuffers.Floats.Rent(n);
        try
        {
            // The core, like every working plane, covers the hull's box only (its pixel (0, 0) at the box's corner).
            var origin = new Vector2(box.Left, box.Top);
            Span<float> core = coreBox.AsSpan(0, n);
            core.Clear();
            FillCore(core, patient, avatar, patientToOutput, bw, bh, roi, ipd, eyeGrow, origin);

            // Luma and chroma (BT.601 YCbCr) of the warped patient over the box.
            for (int y = 0; y < bh; y++)
            {
                int src = 3 * (((y + box.Top) * w) + box.Left);
                for (int x = 0; x < bw; x++, src += 3)
                {
                    float r = warped[src], g = warped[src + 1], b = warped[src + 2];
                    float yy = Luma.Of(r, g, b);
                    int i = (y * bw) + x;
                    luma[i] = yy;
                    cb[i] = 128f + (0.564f * (b - yy));
                    cr[i] = 128f + (0.713f * (r - yy));
                }
            }

            // Texture: local energy of luma's high-pass (|Y - G(Y)| averaged over a slightly larger Gaussian).
            var fine = GaussianKernel.Create(MathF.Max(0.7f, TextureSigmaFraction * ipd));
            var wide = GaussianKernel.Create(MathF.Max(1f, EnergySigmaFraction * ipd));
            SeparableGaussianBlur.BlurPlane(luma.AsSpan(0, n), tmp.AsSpan(0, n), bw, bh, 1, fine, BlurBorderMode.Reflect101);
            for (int i = 0; i < n; i++)
            {
                tmp[i] = MathF.Abs(luma[i] - tmp[i]);
            }

            SeparableGaussianBlur.BlurPlane(tmp.AsSpan(0, n), energy.AsSpan(0, n), bw, bh, 1, wide, BlurBorderMode.Reflect101);

            // The skin samples: a ring around the patient's eye openings (grown a further 11 % of the inter-pupil
            // distance), i.e. lid and under-eye skin next to the eyes, where hair, frames and background are least likely.
            ring.AsSpan(0, n).Clear();
            foreach (bool left in new[] { true, false })
            {
                int[] eye = FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left);
                float grow = eyeGrow + (SampleRingFraction * ipd);
                PolygonRasterizer.FillPolygon(Shifted(ConvexHull.Dilate(ConvexHull.Compute(Mapped(patient, eye, patientToOutput)), grow), origin), ring.AsSpan(0, n), bw, bh);
            }

            SkinModel model = Estimate(hull, core, ring, luma, cb, cr, energy, box, w);

            // The skin's local lightness (in tmp): lid and under-eye skin is shaded, so luma is compared with the skin around it
            // rather than with one global level. Chroma- and texture-weighted sums of luma over cells of 3 % of the inter-pupil
            // distance, blurred over 8 %, divided; where no skin is near, the global level.
            LocalSkinLightness(tmp.AsSpan(0, n), core, luma, cb, cr, energy, box, w, ipd, model, terms);
            model = model with { LumaSigma = ResidualSpread(hull, core, ring, luma, tmp, box, w, model.LumaMedian) };

            // Per-pixel skin score in tmp (1 in the core and outside the hull, where it does not matter).
            for (int y = 0; y < bh; y++)
            {
                int row = ((y + box.Top) * w) + box.Left;
                for (int x = 0; x < bw; x++)
                {
                    int i = (y * bw) + x;
                    if (hull[row + x] <= 0f || core[i] >= 1f)
                    {
                        tmp[i] = 1f;
                        continue;
                    }

                    tmp[i] = model.Score(luma[i], tmp[i], cb[i], cr[i], energy[i], terms);
                }
            }

            // Clean: a small Gaussian of the score, kept at 0.5 or more; then the hull is multiplied by max(core, kept).
            var clean = GaussianKernel.Create(MathF.Max(0.7f, CleanSigmaFraction * ipd));
            SeparableGaussianBlur.BlurPlane(tmp.AsSpan(0, n), energy.AsSpan(0, n), bw, bh, 1, clean, BlurBorderMode.Replicate);
            for (int y = 0; y < bh; y++)
            {
                int row = ((y + box.Top) * w) + box.Left;
                for (int x = 0; x < bw; x++)
                {
                    int i = (y * bw) + x;
                    float keep = energy[i] >= 0.5f ? 1f : 0f;
                    float factor = MathF.Min(1f, MathF.Max(core[i], keep));
                    hull[row + x] *= factor;
                }
            }
        }
        finally
        {
            WorkBuffers.Floats.Return(coreBox);
            WorkBuffers.Floats.Return(luma);
            WorkBuffers.Floats.Return(cb);
            WorkBuffers.Floats.Return(cr);
            WorkBuffers.Floats.Return(tmp);
            WorkBuffers.Floats.Return(energy);
            WorkBuffers.Floats.Return(ring);
        }
    }

    /// <summary>
    /// The skin statistics from the samples (full hull pixels outside the core, in the ring): each channel's shortest half from
    /// a histogram, then the chroma mean and covariance of the samples within 2.5 robust sigmas in every channel.
    /// </summary>
    private static SkinModel Estimate(ReadOnlySpan<float> hull, ReadOnlySpan<float> core, float[] ring, float[] luma, float[] cb, float[] cr, float[] energy,
        Rectangle box, int w)
    {
        Span<int> hy = stackalloc int[Bins], hb = stackalloc int[Bins], hr = stackalloc int[Bins], he = stackalloc int[Bins];
        int bw = box.Width, bh = box.Height, count = 0;
        for (int y = 0; y < bh; y++)
        {
            int row = ((y + box.Top) * w) + box.Left;
            for (int x = 0; x < bw; x++)
            {
                int i = (y * bw) + x;
                if (IsSample(hull[row + x], core[i], ring[i]))
                {
                    Add(hy, luma[i], BinsPerLevel);
                    Add(hb, cb[i], BinsPerLevel);
                    Add(hr, cr[i], BinsPerLevel);
                    Add(he, energy[i], TextureBinsPerLevel);
                    count++;
                }
            }
        }

        if (count < 16)
        {
            return SkinModel.KeepAll;
        }

        // Location and spread of each channel from its shortest half (the narrowest interval holding half the samples: its
        // centre, and its half-width / 0.674 as sigma). Unlike the median and MAD it stays on the skin when up to half the
        // samples are hair or frame, whose values lie far off (floors: a flat render has almost no spread).
        (float my, float sy) = ShortestHalf(hy, count, BinsPerLevel);
        (float mb, float sdb) = ShortestHalf(hb, count, BinsPerLevel);
        (float mr, float sdr) = ShortestHalf(hr, count, BinsPerLevel);
        (float me, float se) = ShortestHalf(he, count, TextureBinsPerLevel);
        sy = Math.Clamp(sy, MathF.Max(4f, 0.05f * my), MathF.Max(4f, MaxLumaSpread * my));
        sdb = Math.Clamp(sdb, 1.5f, MaxChromaSpread);
        sdr = Math.Clamp(sdr, 1.5f, MaxChromaSpread);
        se = MathF.Max(se, MathF.Max(0.3f, 0.25f * me));

        // Chroma mean and covariance of the inliers (within 2.5 robust sigmas in every channel).
        double sb = 0, sr = 0, sbb = 0, srr = 0, sbr = 0;
        int kept = 0;
        for (int y = 0; y < bh; y++)
        {
            int row = ((y + box.Top) * w) + box.Left;
            for (int x = 0; x < bw; x++)
            {
                int i = (y * bw) + x;
                if (!IsSample(hull[row + x], core[i], ring[i])
                    || MathF.Abs(luma[i] - my) > 2.5f * sy || MathF.Abs(cb[i] - mb) > 2.5f * sdb || MathF.Abs(cr[i] - mr) > 2.5f * sdr)
                {
                    continue;
                }

                double db = cb[i] - mb, dr = cr[i] - mr;
                sb += db;
                sr += dr;
                sbb += db * db;
                srr += dr * dr;
                sbr += db * dr;
                kept++;
            }
        }

        double cbMean = mb, crMean = mr, vbb = sdb * sdb, vrr = sdr * sdr, vbr = 0;
        if (kept >= 16)
        {
            double ab = sb / kept, ar = sr / kept;
            cbMean = mb + ab;
            crMean = mr + ar;
            vbb = Math.Clamp((sbb / kept) - (ab * ab), 2.25, MaxChromaSpread * MaxChromaSpread);
            vrr = Math.Clamp((srr / kept) - (ar * ar), 2.25, MaxChromaSpread * MaxChromaSpread);
            double limit = 0.95 * Math.Sqrt(vbb * vrr); // positive definite: correlation at most 0.95
            vbr = Math.Clamp((sbr / kept) - (ab * ar), -limit, limit);
        }

        return new SkinModel(my, sy, (float)cbMean, (float)crMean, vbb, vrr, vbr, me, se);
    }

    /// <summary>A skin sample: fully inside the hull, outside the core, in the ring around the eye openings.</summary>
    private static bool IsSample(float hull, float core, float ring) => hull >= 1f && core <= 0f && ring >= 0.5f;

    /// <summary>Fills <paramref name="reference"/> (box-sized) with the local skin lightness: a normalised convolution of luma
    /// weighted by the chroma and texture terms (pixels within a wide band of the global level, outside the core).</summary>
    private static void LocalSkinLightness(Span<float> reference, ReadOnlySpan<float> core, float[] luma, float[] cb, float[] cr, float[] energy,
        Rectangle box, int w, float ipd, SkinModel model, Terms terms)
    {
        int bw = box.Width, bh = box.Height;
        int cell = Math.Max(2, (int)MathF.Round(0.03f * ipd));
        int gw = (bw + cell - 1) / cell, gh = (bh + cell - 1) / cell, gn = gw * gh;
        float[] sum = WorkBuffers.Floats.Rent(gn), weight = WorkBuffers.Floats.Rent(gn), blurred = WorkBuffers.Floats.Rent(gn);
        try
        {
            sum.AsSpan(0, gn).Clear();
            weight.AsSpan(0, gn).Clear();
            float band = MathF.Max(30f, 0.3f * model.LumaMedian);
            Terms others = terms & ~Terms.Lightness;
            for (int y = 0; y < bh; y++)
            {
                int row = ((y + box.Top) * w) + box.Left, grow = (y / cell) * gw;
                for (int x = 0; x < bw; x++)
                {
                    int i = (y * bw) + x;
                    if (core[i] > 0f || MathF.Abs(luma[i] - model.LumaMedian) > band)
                    {
                        continue;
                    }

                    float s = model.Score(luma[i], luma[i], cb[i], cr[i], energy[i], others);
                    sum[grow + (x / cell)] += s * luma[i];
                    weight[grow + (x / cell)] += s;
                }
            }

            var kernel = GaussianKernel.Create(MathF.Max(1f, 0.08f * ipd / cell));
            SeparableGaussianBlur.BlurPlane(sum.AsSpan(0, gn), blurred.AsSpan(0, gn), gw, gh, 1, kernel, BlurBorderMode.Replicate);
            SeparableGaussianBlur.BlurPlane(weight.AsSpan(0, gn), sum.AsSpan(0, gn), gw, gh, 1, kernel, BlurBorderMode.Replicate);
            float eps = 0.05f * cell * cell;
            for (int k = 0; k < gn; k++)
            {
                blurred[k] = (blurred[k] + (eps * model.LumaMedian)) / (sum[k] + eps);
            }

            // Bilinear between cell centres.
            for (int y = 0; y < bh; y++)
            {
                float gy = Math.Clamp(((y + 0.5f) / cell) - 0.5f, 0f, gh - 1);
                int y0 = Math.Min((int)gy, gh - 1), y1 = Math.Min(y0 + 1, gh - 1);
                float fy = gy - y0;
                for (int x = 0; x < bw; x++)
                {
                    float gx = Math.Clamp(((x + 0.5f) / cell) - 0.5f, 0f, gw - 1);
                    int x0 = Math.Min((int)gx, gw - 1), x1 = Math.Min(x0 + 1, gw - 1);
                    float fx = gx - x0;
                    float top = blurred[(y0 * gw) + x0] + (fx * (blurred[(y0 * gw) + x1] - blurred[(y0 * gw) + x0]));
                    float bottom = blurred[(y1 * gw) + x0] + (fx * (blurred[(y1 * gw) + x1] - blurred[(y1 * gw) + x0]));
                    reference[(y * bw) + x] = top + (fy * (bottom - top));
                }
            }
        }
        finally
        {
            WorkBuffers.Floats.Return(sum);
            WorkBuffers.Floats.Return(weight);
            WorkBuffers.Floats.Return(blurred);
        }
    }

    /// <summary>Sigma of the skin samples' luma about the local lightness (shortest half), between max(4, 5 %) and the cap of the level.</summary>
    private static float ResidualSpread(ReadOnlySpan<float> hull, ReadOnlySpan<float> core, float[] ring, float[] luma, float[] reference, Rectangle box, int w, float level)
    {
        Span<int> histogram = stackalloc int[Bins];
        int bw = box.Width, count = 0;
        for (int y = 0; y < box.Height; y++)
        {
            int row = ((y + box.Top) * w) + box.Left;
            for (int x = 0; x < bw; x++)
            {
                int i = (y * bw) + x;
                if (IsSample(hull[row + x], core[i], ring[i]))
                {
                    Add(histogram, 128f + luma[i] - reference[i], BinsPerLevel);
                    count++;
                }
            }
        }

        float lo = MathF.Max(4f, 0.05f * level), hi = MathF.Max(lo, MaxLumaSpread * level);
        return count < 16 ? hi : Math.Clamp(ShortestHalf(histogram, count, BinsPerLevel).Sigma, lo, hi);
    }

    private static void Add(Span<int> histogram, float value, float binsPerLevel) =>
        histogram[Math.Clamp((int)(value * binsPerLevel), 0, histogram.Length - 1)]++;

    /// <summary>The centre and sigma (half-width / 0.674) of the narrowest run of bins holding half of <paramref name="count"/> samples.</summary>
    private static (float Centre, float Sigma) ShortestHalf(ReadOnlySpan<int> histogram, int count, float binsPerLevel)
    {
        int need = (count + 1) / 2, lo = 0, sum = 0, bestLo = 0, bestHi = histogram.Length - 1;
        for (int hi = 0; hi < histogram.Length; hi++)
        {
            sum += histogram[hi];
            while (lo < hi && sum - histogram[lo] >= need)
            {
                sum -= histogram[lo];
                lo++;
            }

            if (sum >= need && hi - lo < bestHi - bestLo)
            {
                bestLo = lo;
                bestHi = hi;
            }
        }

        float centre = (bestLo + bestHi + 1) / (2f * binsPerLevel);
        float halfWidth = (bestHi - bestLo + 1) / (2f * binsPerLevel);
        return (centre, halfWidth / 0.674f);
    }

    private static Vector2[] Shifted(Vector2[] p, Vector2 origin)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= origin;
        }

        return p;
    }

    private static Vector2[] Mapped(FaceLandmarks landmarks, int[] group, Matrix3x2 m)
    {
        Vector2[] p = landmarks.Select(group);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Vector2.Transform(p[i], m);
        }

        return p;
    }

    /// <summary>The patient's skin statistics and the soft score of one pixel against them.</summary>
    private readonly record struct SkinModel(float LumaMedian, float LumaSigma, float CbMean, float CrMean, double Vbb, double Vrr, double Vbr,
        float EnergyMedian, float EnergySigma)
    {
        public static SkinModel KeepAll => new(128f, float.PositiveInfinity, 128f, 128f, 1e12, 1e12, 0, 0f, float.PositiveInfinity);

        /// <summary>
        /// Product of three ramps: chroma Mahalanobis distance 1 up to 2.5, 0 from 4; luma z-score about the local skin lightness
        /// 1 within -2.5 to +5, 0 beyond -4 or +8; texture z-score 1 up to 3, 0 from 6.
        /// </summary>
        public float Score(float y, float localLuma, float cb, float cr, float e, Terms terms)
        {
            float s = 1f;
            if ((terms & Terms.Chroma) != 0)
            {
                double db = cb - CbMean, dr = cr - CrMean;
                double det = (Vbb * Vrr) - (Vbr * Vbr);
                double d2 = ((Vrr * db * db) - (2 * Vbr * db * dr) + (Vbb * dr * dr)) / det;
                s *= Ramp(MathF.Sqrt((float)d2), 2.5f, 4f);
            }

            if ((terms & Terms.Lightness) != 0)
            {
                float z = (y - localLuma) / LumaSigma;
                s *= z < 0 ? Ramp(-z, 2.5f, 4f) : Ramp(z, 5f, 8f);
            }

            if ((terms & Terms.Texture) != 0)
            {
                s *= Ramp((e - EnergyMedian) / EnergySigma, 3f, 6f);
            }

            return s;
        }

        private static float Ramp(float v, float one, float zero) => v <= one ? 1f : v >= zero ? 0f : (zero - v) / (zero - one);
    }
}
