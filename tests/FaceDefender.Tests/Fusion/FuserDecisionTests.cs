using System.Numerics;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using FaceDefender.Tests.Decisions;
using FaceDefender.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Fusion;

/// <summary>
/// The fuser's decisions with no model: a whole face mesh (a procedural avatar's, halved) on a textured 512 canvas as the avatar,
/// and the same mesh, shrunk, turned and with the left upper lid raised, on a different texture as the patient. The mask,
/// the kept pixels and their colour are then checked against what the documentation says they are.
/// </summary>
public sealed class FuserDecisionTests(ITestOutputHelper log)
{
    /// <summary>Mean difference of the kept pixels between the two colour references (measured: 8.4 grey levels).</summary>
    private const double MeanKeptDifferenceBound = 17;

    private const int Size = 512;
    private const int PatientSize = 400;

    /// <summary>Avatar-to-patient placement: scale 0.7, a 4.6° turn, a shift.</summary>
    private static readonly Matrix3x2 ToPatient = Matrix3x2.CreateScale(0.7f) * Matrix3x2.CreateRotation(0.08f) * Matrix3x2.CreateTranslation(30, 8);

    /// <summary>The subject-left upper lid points raised in the patient (eye more open than the avatar's).</summary>
    private static readonly int[] RaisedLid = [466, 388, 387, 386, 385, 384, 398];

    private static readonly Lazy<FaceLandmarks> HalfMesh = new(() => ScriptedParts.Mesh.Transform(Matrix3x2.CreateScale(0.5f), CoordinateSpace.Output));

    private static FaceLandmarks AvatarLandmarks => HalfMesh.Value;

    private static float Ipd => AvatarLandmarks.InterPupillaryDistance;

    private static FaceLandmarks PatientLandmarks()
    {
        Vector3[] p = new Vector3[FaceLandmarks.Count];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = new Vector3(AvatarLandmarks[i], 0);
        }

        foreach (int i in RaisedLid)
        {
            p[i].Y -= 0.06f * Ipd;
        }

        return new FaceLandmarks(p).Transform(ToPatient, CoordinateSpace.Source);
    }

    private static Image<Rgb24> Avatar() => Image.LoadPixelData<Rgb24>(TestImages.Smooth(Size, Size, 11), Size, Size);

    private static Image<Rgb24> Patient(int noise = 0)
    {
        byte[] px = TestImages.Smooth(PatientSize, PatientSize, 12);
        if (noise > 0)
        {
            var rng = new Random(13);
            for (int i = 0; i < px.Length; i++)
            {
                px[i] = (byte)Math.Clamp(px[i] + rng.Next(-noise, noise + 1), 0, 255);
            }
        }

        return Image.LoadPixelData<Rgb24>(px, PatientSize, PatientSize);
    }

    private static byte[] Bytes(Image<Rgb24> image)
    {
        byte[] b = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(b);
        return b;
    }

    /// <summary>Leaves arrays of stale values in the pools the fuser rents from (the fusion's own pools hand the last returned array out first), so a buffer it forgets to
    /// clear, or reads past what it cleared, shows: floats are 1 in the canvas's upper half (where the eyes are) and 0 below,
    /// bytes are 1.</summary>
    private static void PolluteThePools()
    {
        float[][] floats = [.. Enumerable.Range(0, 3).Select(_ => WorkBuffers.Floats.Rent(Size * Size))];
        byte[][] bytes = [.. Enumerable.Range(0, 6).Select(i => WorkBuffers.Bytes.Rent(i < 3 ? Size * Size : Size * Size * 3))];
        foreach (float[] f in floats)
        {
            f.AsSpan(0, Size * Size / 2).Fill(1f);
            f.AsSpan(Size * Size / 2).Clear();
            WorkBuffers.Floats.Return(f);
        }

        foreach (byte[] b in bytes)
        {
            Array.Fill(b, (byte)1);
            WorkBuffers.Bytes.Return(b);
        }
    }

    [Theory]
    [InlineData(RoiPreset.EyesOnly, -1f)]
    [InlineData(RoiPreset.EyesAndBrows, 0.15f)]
    [InlineData(RoiPreset.Paper, -1f)]
    public void The_mask_is_the_feathered_union_of_the_patients_and_the_avatars_grown_hulls(RoiPreset roi, float dilation)
    {
        // The hulls themselves: the paper region's skin-following mask (on by default) is switched off here and checked below.
        FusionOptions options = dilation < 0 ? new FusionOptions { Roi = roi, SkinFollowingMask = false } : new FusionOptions { Roi = roi, MaskDilationFraction = dilation };
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        PolluteThePools();
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, options);
        float[] mask = r.Mask.ToArray();

        float grow = options.MaskDilationFraction * Ipd;
        float[] expected = ExpectedMask(PatientLandmarks(), AvatarLandmarks, r.TransformMatrix, options);
        double worst = MaxDifference(mask, expected);
        worst.Should().BeLessThan(1e-5, "the mask is the feathered union of the grown hulls, feathered only where it is non-zero");

        // With the default options the paper region follows the skin: it may only lower the hull mask, never raise it.
        PolluteThePools();
        using (FusionResult skin = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, options with { SkinFollowingMask = true }))
        {
            float[] followed = skin.Mask.ToArray();
            for (int i = 0; i < followed.Length; i++)
            {
                followed[i].Should().BeLessThanOrEqualTo(expected[i] + 1e-5f);
            }

            skin.MaskBounds.Should().Be(MaskOperations.NonZeroBounds(followed, Size, Size));
        }
        r.MaskBounds.Should().Be(MaskOperations.NonZeroBounds(mask, Size, Size));

        // The union: the patient's raised lid (mapped) is kept as well as the avatar's own eye opening.
        Vector2 raised = Vector2.Transform(PatientLandmarks()[386], r.TransformMatrix);
        (raised.Y - AvatarLandmarks[386].Y).Should().BeLessThan(-0.04f * Ipd, "the patient's lid sits above the avatar's");
        At(mask, raised).Should().BeGreaterThan(0.45f);
        At(mask, AvatarLandmarks[386]).Should().BeGreaterThan(0.45f);
        At(mask, AvatarLandmarks[468]).Should().BeGreaterThan(0.99f);
        At(mask, AvatarLandmarks[473]).Should().BeGreaterThan(0.99f);

        // The mask ends where the grown hull plus the feather's tail ends: nothing on the nose tip and, for the eye openings,
        // nothing a feather's width past the grown outer canthus (the brow and prototype eye sets reach further out).
        At(mask, AvatarLandmarks[4]).Should().Be(0f);
        if (roi == RoiPreset.EyesOnly)
        {
            Vector2 outward = Vector2.Normalize(AvatarLandmarks[33] - AvatarLandmarks[133]);
            float reach = grow + (5 * options.FeatherSigmaFraction * Ipd) + 2;
            At(mask, AvatarLandmarks[33] + (outward * reach)).Should().Be(0f);
            At(mask, AvatarLandmarks[33] + (outward * grow * 0.5f)).Should().BeGreaterThan(0.5f);
        }
    }

    [Theory]
    [InlineData(ColorTransferBlur.Fast, ColorTransferMode.Additive, 0.09f)]
    [InlineData(ColorTransferBlur.Exact, ColorTransferMode.Multiplicative, 0.3f)]
    [InlineData(ColorTransferBlur.Fast, ColorTransferMode.Multiplicative, 0.01f)]
    [InlineData(ColorTransferBlur.Fast, ColorTransferMode.Additive, 1f)]
    public void The_output_is_the_avatar_blended_with_the_colour_corrected_photo_through_the_mask(ColorTransferBlur blur, ColorTransferMode mode, float sigma)
    {
        var options = new FusionOptions { ColorTransferBlur = blur, ColorTransferMode = mode, ColorCorrectionSigmaFraction = sigma };
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        PolluteThePools();
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, options);
        float[] mask = r.Mask.ToArray();

        // The documented path with the whole photo warped (the fuser warps only the mask's box and the colour blur's support
        // around it, so the result must be the same to the bit).
        byte[] av = Bytes(avatar), pt = Bytes(patient);
        byte[] warped = new byte[av.Length], corrected = new byte[av.Length];
        AffineWarp.WarpRgb24(pt, PatientSize, PatientSize, warped, Size, Size, AffineWarp.FromContinuousCoordinates(r.TransformMatrix),
            WarpBorderMode.Constant, (255, 255, 255));
        ColorTransfer.Apply(warped, av, mask, corrected, Size, Size, sigma * Ipd, blur, 1, mode);
        byte[] expected = (byte[])av.Clone();
        AlphaBlend.Blend(expected, corrected, mask, expected);
        byte[] output = Bytes(r.Image);
        TestImages.MaxAbsDiff(output, expected).Should().Be(0);

        // Not a vacuous check: the kept pixels differ from the avatar's, and the corrected photo is not the raw warp.
        int kept = 0, correctedAway = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] > 0.99f)
            {
                kept += output[3 * i] != av[3 * i] ? 1 : 0;
                correctedAway += output[3 * i] != warped[3 * i] ? 1 : 0;
            }
        }

        kept.Should().BeGreaterThan(300);
        correctedAway.Should().BeGreaterThan(300);
    }

    [Fact]
    public void No_options_means_the_default_options()
    {
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        using FusionResult a = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks);
        using FusionResult b = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, FusionOptions.Default);
        a.Options.Should().BeSameAs(FusionOptions.Default);
        Bytes(a.Image).Should().Equal(Bytes(b.Image));
    }

    [Fact]
    public void Disposing_the_result_gives_its_mask_back_to_the_pool()
    {
        // The mask (1 MB here, 4 MB at 1024, once a frame in a video) is rented; disposing the result returns it, so a later rent of that size
        // gets the same array back.
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        FusionResult r = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks);
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(r.Mask, out ArraySegment<float> segment).Should().BeTrue();
        r.Dispose();
        // Another test renting the same size in between could take it first: look among as many as the pool keeps.
        var rented = new List<float[]>();
        try
        {
            for (int i = 0; i < WorkBuffers.ArraysPerSize; i++)
            {
                rented.Add(WorkBuffers.Floats.Rent(Size * Size));
            }

            rented.Should().Contain(a => ReferenceEquals(a, segment.Array));
        }
        finally
        {
            rented.ForEach(a => WorkBuffers.Floats.Return(a));
        }
    }

    [Fact]
    public void The_skin_reference_excludes_both_eye_openings_and_everything_outside_its_region()
    {
        FaceLandmarks patient = PatientLandmarks();
        var fit = TransformEstimation.EstimateSimilarity(patient.Select(FusionLandmarkSets.Alignment), AvatarLandmarks.Select(FusionLandmarkSets.Alignment));
        Matrix3x2 m = fit.ToMatrix();
        var region = Rectangle.FromLTRB(125, 150, 400, 350);
        byte[] weight = new byte[Size * Size];
        Array.Fill(weight, (byte)7);
        PolluteThePools();
        PeriocularFaceFuser.BuildSkinWeight(weight, patient, AvatarLandmarks, m, Size, Size, Ipd, region);

        weight.Should().OnlyContain(v => v == 0 || v == 1);
        byte W(Vector2 p) => weight[((int)p.Y * Size) + (int)p.X];
        W(new Vector2(50, 50)).Should().Be(0, "outside the region nothing is reference");
        W(new Vector2(region.Left - 1, 250)).Should().Be(0);
        W(new Vector2(region.Left, 250)).Should().Be(1, "the region's first column is reference");
        W(new Vector2(region.Right - 1, region.Bottom - 1)).Should().Be(1, "the region's last pixel is reference");
        W(new Vector2(region.Right, region.Bottom - 1)).Should().Be(0);
        W(new Vector2(region.Left, region.Top)).Should().Be(1, "the region's first row is reference");
        W(new Vector2(region.Left, region.Top - 1)).Should().Be(0);
        W(new Vector2(region.Left, region.Bottom)).Should().Be(0, "the region's bottom edge is exclusive");

        // Each eye opening, grown by 4 % of the IPD, is out; 8 % beyond the outer canthus is skin again.
        W(AvatarLandmarks[468]).Should().Be(0);
        W(AvatarLandmarks[473]).Should().Be(0);
        Vector2 outward = Vector2.Normalize(AvatarLandmarks[33] - AvatarLandmarks[133]);
        W(AvatarLandmarks[33] + (outward * 0.025f * Ipd)).Should().Be(0);
        W(AvatarLandmarks[33] + (outward * 0.08f * Ipd)).Should().Be(1);

        // The patient's raised lid is out too (its opening, mapped), though the avatar's lid is lower.
        Vector2 raised = Vector2.Transform(patient[386], m);
        W(raised + new Vector2(0, -0.02f * Ipd)).Should().Be(0);
        W(AvatarLandmarks[386] + new Vector2(0, -0.1f * Ipd)).Should().Be(1, "above both lids by more than the growth is skin");
    }

    [Fact]
    public void The_skin_reference_changes_only_the_kept_pixels()
    {
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        using FusionResult support = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, new FusionOptions { ColorReference = ColorReferenceRegion.BlurSupport });
        PolluteThePools();
        using FusionResult skin = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, new FusionOptions { ColorReference = ColorReferenceRegion.SurroundingSkin });
        float[] mask = skin.Mask.ToArray();
        byte[] a = Bytes(support.Image), b = Bytes(skin.Image), av = Bytes(avatar);
        int differ = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                if (mask[i] == 0)
                {
                    b[(3 * i) + c].Should().Be(av[(3 * i) + c]);
                }
                else if (a[(3 * i) + c] != b[(3 * i) + c])
                {
                    differ++;
                }
            }
        }

        differ.Should().BeGreaterThan(300, "the skin reference sets a different colour correction");

        // ... a correction of the same photo: the kept pixels stay within a few grey levels of the blur-support reference's.
        double sum = 0;
        int n = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] > 0.99f)
            {
                sum += Math.Abs(a[3 * i] - b[3 * i]) + Math.Abs(a[(3 * i) + 1] - b[(3 * i) + 1]) + Math.Abs(a[(3 * i) + 2] - b[(3 * i) + 2]);
                n += 3;
            }
        }

        log.WriteLine($"mean difference of the kept pixels: {sum / n:F2} grey levels");
        (sum / n).Should().BeLessThan(MeanKeptDifferenceBound);
    }

    [Fact]
    public void Capture_matching_degrades_the_avatar_only_around_the_mask()
    {
        // A noisy photo: the avatar around the kept region takes its noise; far from it the avatar is untouched.
        using Image<Rgb24> avatar = Avatar(), patient = Patient(noise: 40);
        using FusionResult plain = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks);
        using FusionResult matched = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, AvatarLandmarks, new FusionOptions { CaptureMatching = CaptureMatching.BlurAndNoise });
        matched.MaskBounds.Should().Be(plain.MaskBounds);
        byte[] a = Bytes(plain.Image), b = Bytes(matched.Image), av = Bytes(avatar);
        a.Should().NotEqual(b);
        float[] mask = matched.Mask.ToArray();
        Rectangle reach = Rectangle.Inflate(matched.MaskBounds, (int)MathF.Ceiling(0.1f * Ipd) + (int)MathF.Ceiling(0.2f * Ipd) + 1, (int)MathF.Ceiling(0.1f * Ipd) + (int)MathF.Ceiling(0.2f * Ipd) + 1);
        int aroundChanged = 0;
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                int i = (y * Size) + x;
                if (!reach.Contains(x, y))
                {
                    b[3 * i].Should().Be(av[3 * i], "beyond the fade the avatar is untouched");
                }
                else if (mask[i] == 0 && b[3 * i] != av[3 * i])
                {
                    aroundChanged++;
                }
            }
        }

        aroundChanged.Should().BeGreaterThan(300, "just outside the mask the avatar carries the photo's noise");
    }

    [Fact]
    public void A_face_at_the_canvas_edge_is_fused_with_its_mask_and_warp_clipped_there()
    {
        // The avatar's right outer canthus 10 px from the left edge: the grown hull, the feather's reach and the colour blur's
        // support all run past the canvas and are cut at its edge.
        FaceLandmarks atEdge = AvatarLandmarks.Transform(Matrix3x2.CreateTranslation(10 - AvatarLandmarks[33].X, 0), CoordinateSpace.Output);
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, atEdge);
        float[] mask = r.Mask.ToArray();
        r.MaskBounds.Left.Should().Be(0);
        MaxDifference(mask, ExpectedMask(PatientLandmarks(), atEdge, r.TransformMatrix, FusionOptions.Default)).Should().BeLessThan(1e-5);
        byte[] output = Bytes(r.Image), av = Bytes(avatar);
        int kept = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0)
            {
                output[3 * i].Should().Be(av[3 * i]);
            }
            else if (mask[i] > 0.99f && output[3 * i] != av[3 * i])
            {
                kept++;
            }
        }

        kept.Should().BeGreaterThan(300);
    }

    [Fact]
    public void A_mask_wholly_off_the_canvas_leaves_the_avatar_as_it_is()
    {
        FaceLandmarks offCanvas = AvatarLandmarks.Transform(Matrix3x2.CreateTranslation(3 * Size, 0), CoordinateSpace.Output);
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        PolluteThePools();
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, offCanvas);
        r.MaskBounds.Should().Be(Rectangle.Empty);
        r.Mask.ToArray().Should().OnlyContain(v => v == 0f);
        Bytes(r.Image).Should().Equal(Bytes(avatar));
    }

    [Theory]
    [InlineData(4f, true)]
    [InlineData(3.9f, true)]
    [InlineData(4.5f, false)]
    public void An_avatar_whose_irises_are_4_px_apart_or_less_is_refused(float distance, bool refused)
    {
        // Irises 4.5 px apart: a tiny iris distance, but the fusion runs; 4 px or less: refused with the distance in the message.
        Vector3[] points = new Vector3[FaceLandmarks.Count];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Vector3(AvatarLandmarks[i], 0);
        }

        points[473] = points[468] + new Vector3(distance, 0, 0);
        var tiny = new FaceLandmarks(points);
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        Action fuse = () => new PeriocularFaceFuser().Fuse(patient, PatientLandmarks(), avatar, tiny).Dispose();
        if (refused)
        {
            fuse.Should().Throw<ArgumentException>().WithParameterName("avatarLandmarks")
                .WithMessage($"The avatar's iris centres are {distance:F1} px apart*");
        }
        else
        {
            fuse.Should().NotThrow();
        }
    }

    [Fact]
    public void Each_missing_argument_is_named()
    {
        using Image<Rgb24> avatar = Avatar(), patient = Patient();
        var fuser = new PeriocularFaceFuser();
        FaceLandmarks p = PatientLandmarks();
        FluentActions.Invoking(() => fuser.Fuse(patient, null!, avatar, AvatarLandmarks)).Should().Throw<ArgumentNullException>().WithParameterName("patientLandmarks");
        FluentActions.Invoking(() => fuser.Fuse(patient, p, null!, AvatarLandmarks)).Should().Throw<ArgumentNullException>().WithParameterName("avatar");
        FluentActions.Invoking(() => fuser.Fuse(patient, p, avatar, null!)).Should().Throw<ArgumentNullException>().WithParameterName("avatarLandmarks");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Geometry_only_keeps_the_mapped_geometry_rounded_unless_exact_and_where_the_placement_says(bool rounded, bool onAvatar)
    {
        // The patient: a dark iris with a highlight in each eye (a reflex for the detector). The avatar: its left eye opening
        // moved 8 px outward, so its eye position differs from the patient's mapped one.
        FaceLandmarks patientLm = PatientLandmarks();
        using Image<Rgb24> patient = Patient();
        foreach ((int centre, int edge) in new[] { (468, 469), (473, 474) })
        {
            Vector2 c = patientLm[centre];
            float radius = Vector2.Distance(c, patientLm[edge]);
            for (int y = (int)(c.Y - radius); y <= (int)(c.Y + radius); y++)
            {
                for (int x = (int)(c.X - radius); x <= (int)(c.X + radius); x++)
                {
                    float d = Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), c);
                    patient[x, y] = d <= 1.5f ? new Rgb24(250, 250, 250) : d <= radius ? new Rgb24(40, 35, 30) : patient[x, y];
                }
            }
        }

        Vector3[] moved = new Vector3[FaceLandmarks.Count];
        for (int i = 0; i < moved.Length; i++)
        {
            moved[i] = new Vector3(AvatarLandmarks[i], 0);
        }

        foreach (int i in FusionLandmarkSets.LeftEyeContour.ToArray().Concat([473, 474, 475, 476, 477]))
        {
            moved[i].X += 8;
        }

        var avatarLm = new FaceLandmarks(moved);
        var eyes = new SyntheticEyeOptions
        {
            Precision = rounded ? GeometryPrecision.Default : GeometryPrecision.Exact,
            Placement = onAvatar ? EyePlacement.AvatarPositions : EyePlacement.PatientPositions,
        };
        using Image<Rgb24> avatar = Avatar();
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient, patientLm, avatar, avatarLm, new FusionOptions { Roi = RoiPreset.GeometryOnly, SyntheticEyes = eyes });
        FaceLandmarks exact = patientLm.Transform(r.TransformMatrix, CoordinateSpace.Output);
        r.KeptMeasurements.Should().NotBeNull();
        r.PatientLandmarks.Space.Should().Be(CoordinateSpace.Output);
        r.Reflexes.BothFound.Should().BeTrue("each patient iris carries a highlight");
        float worst = FusionLandmarkSets.LeftEyeContour.ToArray().Concat(FusionLandmarkSets.RightEyeContour.ToArray())
            .Max(i => Vector2.Distance(r.PatientLandmarks[i], exact[i]));
        Vector2 keptLeft = (r.PatientLandmarks[263] + r.PatientLandmarks[362]) / 2, avatarLeft = (avatarLm[263] + avatarLm[362]) / 2;
        if (onAvatar)
        {
            // Each eye moved onto the avatar's (canthi midpoint), its reflex with it: the reflex keeps its place in the iris.
            Vector2.Distance(keptLeft, avatarLeft).Should().BeLessThan(0.01f);
            worst.Should().BeGreaterThan(4f);
        }
        else if (rounded)
        {
            // Rounded to the clinical steps: moved, but by a fraction of a millimetre (well under 5 % of the IPD).
            worst.Should().BeInRange(0.01f, 0.05f * Ipd);
            Vector2.Distance(keptLeft, avatarLeft).Should().BeGreaterThan(4f);
        }
        else
        {
            worst.Should().BeLessThan(1e-3f, "exact precision keeps the mapped geometry as it is");
            Vector2.Distance(keptLeft, avatarLeft).Should().BeGreaterThan(4f);
        }

        if (!rounded)
        {
            Vector2 detected = CornealReflexDetector.DetectHighlights(patient, patientLm).Transform(r.TransformMatrix).Left!.Position;
            Vector2.Distance(r.Reflexes.Left!.Position - r.PatientLandmarks[473], detected - exact[473]).Should().BeLessThan(0.01f);
        }
    }

    /// <summary>The documented construction, over the whole image: each side's group hull of the patient (mapped) and of the
    /// avatar, grown by the dilation times the avatar's IPD, filled, then a Gaussian feather of the feather fraction times the
    /// IPD.</summary>
    private static float[] ExpectedMask(FaceLandmarks patient, FaceLandmarks avatar, Matrix3x2 patientToOutput, FusionOptions options)
    {
        float ipd = avatar.InterPupillaryDistance, grow = options.MaskDilationFraction * ipd;
        float[] hard = new float[Size * Size];
        foreach (bool left in new[] { true, false })
        {
            int[] group = FusionLandmarkSets.MaskGroup(options.Roi, left);
            Vector2[] mapped = [.. patient.Select(group).Select(p => Vector2.Transform(p, patientToOutput))];
            PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(mapped), grow), hard, Size, Size);
            PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(avatar.Select(group)), grow), hard, Size, Size);
        }

        float[] expected = new float[Size * Size];
        MaskOperations.Feather(hard, expected, Size, Size, options.FeatherSigmaFraction * ipd);
        return expected;
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }

    private static float At(float[] mask, Vector2 p) => mask[((int)p.Y * Size) + (int)p.X];
}
