using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>The iris model's fine 71-point eye contour on <see cref="FaceLandmarks"/>.</summary>
[Collection(DetectorCollection.Name)]
public sealed class EyeContourTests(DetectorFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("grace_hopper.jpg")]
    public void Detector_returns_each_eyes_contour_on_its_own_lids(string file)
    {
        FaceDetection d = fixture.Reference(file);
        FaceLandmarks lm = d.Face!.Landmarks;
        foreach ((EyeLandmarks eye, EyeContour? contour, int[] mesh, bool isRight) in new[]
        {
            (lm.RightEye, lm.RightEyeContour, EyeContour.RightEyeMeshIndices.ToArray(), true),
            (lm.LeftEye, lm.LeftEyeContour, EyeContour.LeftEyeMeshIndices.ToArray(), false),
        })
        {
            contour.Should().NotBeNull();
            eye.FineContour.Should().BeSameAs(contour);
            contour!.Points.Length.Should().Be(EyeContour.Count);
            float width = Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);

            // The lid-margin points (0..15) lie near the mesh points MediaPipe refines with them.
            double mean = Enumerable.Range(0, 16).Average(i => Vector2.Distance(contour[i], lm[mesh[i]]));
            output.WriteLine($"{file}: contour lid margin vs mesh eye ring: mean {mean:F2} px, eye width {width:F1} px");
            mean.Should().BeLessThan(0.15 * width, "the contour belongs to this eye and is in source pixels (a swapped eye or wrong scale is off by an eye width or more)");
            Vector2.Distance(contour.OuterCanthus, eye.OuterCanthus).Should().BeLessThan(0.25f * width, "the models place the canthi differently, but on the same eye");
            Vector2.Distance(contour.InnerCanthus, eye.InnerCanthus).Should().BeLessThan(0.25f * width, "the models place the canthi differently, but on the same eye");

            // Upper lid above the iris centre, lower lid below it, in the eye's own frame.
            Vector2 along = Vector2.Normalize(eye.InnerCanthus - eye.OuterCanthus);
            Vector2 down = isRight ? new Vector2(-along.Y, along.X) : new Vector2(along.Y, -along.X);
            float V(Vector2 p) => Vector2.Dot(p - eye.IrisCentre, down);
            V(contour.UpperLid[4]).Should().BeLessThan(0, "the upper lid is above the iris centre");
            V(contour.LowerLid[4]).Should().BeGreaterThan(0, "the lower lid is below the iris centre");
            contour.UpperLid[0].Should().Be(contour.OuterCanthus);
            contour.UpperLid[^1].Should().Be(contour.InnerCanthus);
            contour.LowerLid[^1].Should().Be(contour.InnerCanthus);
        }
    }

    [Fact]
    public void Contour_upper_lid_follows_the_rendered_lids_better_than_the_mesh()
    {
        // Ground-truth kit: lids raised in one eye and lowered in the other. The error of the lid-margin points
        // between the canthi against the kit's exact points, for the contour and for the mesh points it refines.
        var up = new EyeControl { UpperLidUpMm = 1.5f, LowerLidDownMm = 1f };
        var down = new EyeControl { UpperLidUpMm = -1.5f, LowerLidDownMm = -1f };
        double[] contourError = new double[2], meshError = new double[2];
        int[] n = new int[2];
        foreach (GroundTruthScene scene in new[]
        {
            new GroundTruthScene { ImageSize = 640, Identity = 3, RightEye = up, LeftEye = down },
            new GroundTruthScene { ImageSize = 640, Identity = 11, Sex = AvatarSex.Male, RightEye = down, LeftEye = up, RollDegrees = 6 },
        })
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            FaceDetection d = fixture.Detector.Detect(r.Image);
            FaceLandmarks lm = d.Face!.Landmarks;
            foreach ((EyeContour? c, int[] mesh) in new[]
            {
                (lm.RightEyeContour, EyeContour.RightEyeMeshIndices.ToArray()),
                (lm.LeftEyeContour, EyeContour.LeftEyeMeshIndices.ToArray()),
            })
            {
                for (int i = 1; i < 16; i++)
                {
                    if (i == EyeContour.InnerCanthusIndex)
                    {
                        continue;
                    }

                    int lid = i < EyeContour.InnerCanthusIndex ? 1 : 0; // 0 upper, 1 lower
                    contourError[lid] += Vector2.Distance(c![i], r.Landmarks[mesh[i]]);
                    meshError[lid] += Vector2.Distance(lm[mesh[i]], r.Landmarks[mesh[i]]);
                    n[lid]++;
                }
            }
        }

        for (int lid = 0; lid < 2; lid++)
        {
            contourError[lid] /= n[lid];
            meshError[lid] /= n[lid];
            output.WriteLine($"{(lid == 0 ? "upper" : "lower")} lid (7 points per eye, 4 eyes) vs the kit's exact points: contour {contourError[lid]:F2} px, face mesh {meshError[lid]:F2} px");
        }

        contourError[0].Should().BeLessThan(meshError[0], "the fine contour tracks the upper lid better than the face mesh");
        contourError[1].Should().BeLessThan(6, "a sanity bound (iris about 27 px): the contour's lower lid is on the lower lid");
    }

    [Fact]
    public void Mesh_index_tables_are_mirror_partners_and_cover_distinct_points()
    {
        ReadOnlySpan<int> partner = FaceMeshSymmetry.Map;
        int[] right = EyeContour.RightEyeMeshIndices.ToArray();
        int[] left = EyeContour.LeftEyeMeshIndices.ToArray();
        right.Should().HaveCount(EyeContour.Count).And.OnlyHaveUniqueItems();
        left.Should().HaveCount(EyeContour.Count).And.OnlyHaveUniqueItems();
        right.Intersect(left).Should().BeEmpty();
        for (int i = 0; i < EyeContour.Count; i++)
        {
            partner[right[i]].Should().Be(left[i], $"contour point {i} of the left eye is the mirror of the right eye's");
        }

        // The lid chains agree with the named eye landmarks.
        EyeContour.UpperLidIndices.ToArray().Select(i => right[i]).Should().Equal(EyeIndices.Right.UpperLid);
        EyeContour.LowerLidIndices.ToArray().Select(i => right[i]).Should().Equal(EyeIndices.Right.LowerLid);
        EyeContour.UpperLidIndices.ToArray().Select(i => left[i]).Should().Equal(EyeIndices.Left.UpperLid);
        EyeContour.LowerLidIndices.ToArray().Select(i => left[i]).Should().Equal(EyeIndices.Left.LowerLid);
    }

    [Fact]
    public void Eye_mesh_refinement_overwrites_the_chosen_mesh_points()
    {
        using Image<Rgb24> image = TestImages.Portrait("grace_hopper.jpg");
        FaceLandmarks plain = fixture.Reference("grace_hopper.jpg").Face!.Landmarks;
        using var full = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { EyeMeshRefinement = EyeMeshRefinement.Full });
        using var lids = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { EyeMeshRefinement = EyeMeshRefinement.LidMargin });
        FaceLandmarks f = full.Detect(image).Face!.Landmarks;
        FaceLandmarks l = lids.Detect(image).Face!.Landmarks;

        // The contour itself does not depend on the option (same crops: they come from the unrefined mesh).
        f.RightEyeContour!.Points.ToArray().Should().Equal(plain.RightEyeContour!.Points.ToArray());
        l.LeftEyeContour!.Points.ToArray().Should().Equal(plain.LeftEyeContour!.Points.ToArray());
        foreach ((EyeContour c, int[] mesh) in new[]
        {
            (plain.RightEyeContour!, EyeContour.RightEyeMeshIndices.ToArray()),
            (plain.LeftEyeContour!, EyeContour.LeftEyeMeshIndices.ToArray()),
        })
        {
            for (int i = 0; i < EyeContour.Count; i++)
            {
                f.Points[mesh[i]].Should().Be(c.Points[i], "Full overwrites all 71 points");
                bool lidMargin = i < 16 && i != EyeContour.OuterCanthusIndex && i != EyeContour.InnerCanthusIndex;
                l.Points[mesh[i]].Should().Be(lidMargin ? c.Points[i] : plain.Points[mesh[i]], "LidMargin overwrites the lids between the canthi only");
            }
        }

        // Points outside the eye regions are untouched; so are the iris points.
        var touched = new HashSet<int>([.. EyeContour.RightEyeMeshIndices.ToArray(), .. EyeContour.LeftEyeMeshIndices.ToArray()]);
        for (int i = 0; i < FaceLandmarks.Count; i++)
        {
            if (!touched.Contains(i))
            {
                f.Points[i].Should().Be(plain.Points[i]);
            }
        }
    }

    [Fact]
    public void Landmarks_from_points_alone_have_no_contour_and_transform_carries_it()
    {
        FaceLandmarks detected = fixture.Reference("astronaut.png").Face!.Landmarks;
        var bare = new FaceLandmarks(detected.Points.ToArray());
        bare.RightEyeContour.Should().BeNull();
        bare.LeftEyeContour.Should().BeNull();
        bare.RightEye.FineContour.Should().BeNull();

        Matrix3x2 m = Matrix3x2.CreateRotation(0.3f) * Matrix3x2.CreateScale(2f) * Matrix3x2.CreateTranslation(10, -5);
        FaceLandmarks moved = detected.Transform(m, CoordinateSpace.Output);
        moved.Space.Should().Be(CoordinateSpace.Output);
        for (int i = 0; i < EyeContour.Count; i++)
        {
            Vector2 expected = Vector2.Transform(detected.LeftEyeContour![i], m);
            Vector2.Distance(moved.LeftEyeContour![i], expected).Should().BeLessThan(1e-3f);
            moved.LeftEyeContour.Points[i].Z.Should().BeApproximately(detected.LeftEyeContour.Points[i].Z * 2f, 1e-3f);
        }

        bare.Transform(m, CoordinateSpace.Output).LeftEyeContour.Should().BeNull();
    }

    [Fact]
    public void Eye_contour_validates_its_points()
    {
        FluentActions.Invoking(() => new EyeContour(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new EyeContour(new Vector3[70])).Should().Throw<ArgumentException>().WithMessage("*71*");
        var bad = new Vector3[71];
        bad[5] = new Vector3(float.NaN, 0, 0);
        FluentActions.Invoking(() => new EyeContour(bad)).Should().Throw<ArgumentException>().WithMessage("*5*");
        FluentActions.Invoking(() => new EyeContour(new Vector3[71])[71]).Should().Throw<ArgumentOutOfRangeException>();
    }
}
