using System.Numerics;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Decisions;

namespace FaceDefender.Tests.Fusion;

/// <summary>
/// The fusion's landmark sets on a whole face mesh (a procedural avatar's, exact and level): each set where its name says
/// (side, brow above the eye, under-eye zone below it), of its documented size, and each preset's mask group made of the
/// sets its documentation names.
/// </summary>
public sealed class FusionLandmarkSetsTests
{
    private static FaceLandmarks Mesh => ScriptedParts.Mesh;

    [Fact]
    public void Each_set_has_its_documented_size()
    {
        FusionLandmarkSets.LeftEye.Length.Should().Be(9);
        FusionLandmarkSets.RightEye.Length.Should().Be(9);
        FusionLandmarkSets.LeftBrow.Length.Should().Be(6);
        FusionLandmarkSets.RightBrow.Length.Should().Be(6);
        FusionLandmarkSets.LeftUnderEye.Length.Should().Be(11);
        FusionLandmarkSets.RightUnderEye.Length.Should().Be(11);
        FusionLandmarkSets.LeftEyeContour.Length.Should().Be(16);
        FusionLandmarkSets.RightEyeContour.Length.Should().Be(16);
        FusionLandmarkSets.Alignment.Should().HaveCount(30).And.OnlyHaveUniqueItems();
        FusionLandmarkSets.NormalizationRightEye.Length.Should().Be(6);
        FusionLandmarkSets.NormalizationLeftEye.Length.Should().Be(6);
        FusionLandmarkSets.NormalizationMouth.ToArray().Should().Equal(61, 308);
    }

    [Fact]
    public void Each_set_lies_on_its_side_and_at_its_height()
    {
        // The subject's left is the image's right. Bridge points (8, 168) belong to both under-eye zones, so only their means
        // are compared with the iris centres.
        Vector2 rightIris = Mesh[468], leftIris = Mesh[473];
        float ipd = Mesh.InterPupillaryDistance;
        float midX = (rightIris.X + leftIris.X) / 2;

        Mesh.Select(FusionLandmarkSets.LeftEye).Should().OnlyContain(p => p.X > midX);
        Mesh.Select(FusionLandmarkSets.LeftBrow).Should().OnlyContain(p => p.X > midX && p.Y < leftIris.Y);
        Mesh.Select(FusionLandmarkSets.LeftEyeContour).Should().OnlyContain(p => p.X > midX && Vector2.Distance(p, leftIris) < 0.3f * ipd);
        Mesh.Select(FusionLandmarkSets.RightEye).Should().OnlyContain(p => p.X < midX);
        Mesh.Select(FusionLandmarkSets.RightBrow).Should().OnlyContain(p => p.X < midX && p.Y < rightIris.Y);
        Mesh.Select(FusionLandmarkSets.RightEyeContour).Should().OnlyContain(p => p.X < midX && Vector2.Distance(p, rightIris) < 0.3f * ipd);
        Mean(FusionLandmarkSets.LeftUnderEye).Y.Should().BeGreaterThan(leftIris.Y);
        Mean(FusionLandmarkSets.RightUnderEye).Y.Should().BeGreaterThan(rightIris.Y);
        Mean(FusionLandmarkSets.LeftUnderEye).X.Should().BeGreaterThan(midX);
        Mean(FusionLandmarkSets.RightUnderEye).X.Should().BeLessThan(midX);

        // The normalisation's eye centres sit on the irises (within 10 % of the IPD), its mouth below both.
        Vector2.Distance(Mean(FusionLandmarkSets.NormalizationRightEye), rightIris).Should().BeLessThan(0.1f * ipd);
        Vector2.Distance(Mean(FusionLandmarkSets.NormalizationLeftEye), leftIris).Should().BeLessThan(0.1f * ipd);
        Mean(FusionLandmarkSets.NormalizationMouth).Y.Should().BeGreaterThan(rightIris.Y + (0.5f * ipd));

        // Each lid contour encloses its iris centre.
        Inside(Mesh.Select(FusionLandmarkSets.RightEyeContour), rightIris).Should().BeTrue();
        Inside(Mesh.Select(FusionLandmarkSets.LeftEyeContour), leftIris).Should().BeTrue();
    }

    [Fact]
    public void Alignment_is_both_eyes_and_both_brows()
    {
        FusionLandmarkSets.Alignment.Should().BeEquivalentTo(
            [.. FusionLandmarkSets.LeftEye, .. FusionLandmarkSets.LeftBrow, .. FusionLandmarkSets.RightEye, .. FusionLandmarkSets.RightBrow]);
    }

    [Theory]
    [InlineData(RoiPreset.EyesOnly)]
    [InlineData(RoiPreset.GeometryOnly)]
    [InlineData(RoiPreset.EyesAndBrows)]
    [InlineData(RoiPreset.Paper)]
    public void Each_presets_mask_group_is_made_of_its_documented_sets(RoiPreset preset)
    {
        int[] left = FusionLandmarkSets.MaskGroup(preset, left: true), right = FusionLandmarkSets.MaskGroup(preset, left: false);
        switch (preset)
        {
            case RoiPreset.EyesOnly or RoiPreset.GeometryOnly:
                left.Should().Equal(FusionLandmarkSets.LeftEyeContour.ToArray());
                right.Should().Equal(FusionLandmarkSets.RightEyeContour.ToArray());
                break;
            case RoiPreset.EyesAndBrows:
                left.Should().Equal([.. FusionLandmarkSets.LeftEye, .. FusionLandmarkSets.LeftBrow]);
                right.Should().Equal([.. FusionLandmarkSets.RightEye, .. FusionLandmarkSets.RightBrow]);
                break;
            default:
                left.Should().Equal([.. FusionLandmarkSets.LeftEye, .. FusionLandmarkSets.LeftBrow, .. FusionLandmarkSets.LeftUnderEye]);
                right.Should().Equal([.. FusionLandmarkSets.RightEye, .. FusionLandmarkSets.RightBrow, .. FusionLandmarkSets.RightUnderEye]);
                break;
        }

        // Whatever the preset, each group's hull holds its own iris and not the other one.
        Inside(ConvexHull.Compute(Mesh.Select(left)), Mesh[473]).Should().BeTrue();
        Inside(ConvexHull.Compute(Mesh.Select(left)), Mesh[468]).Should().BeFalse();
        Inside(ConvexHull.Compute(Mesh.Select(right)), Mesh[468]).Should().BeTrue();
        Inside(ConvexHull.Compute(Mesh.Select(right)), Mesh[473]).Should().BeFalse();
    }

    [Fact]
    public void An_undefined_preset_has_no_mask_group()
    {
        FluentActions.Invoking(() => FusionLandmarkSets.MaskGroup((RoiPreset)9, left: true)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("preset").WithMessage("Unknown ROI preset.*");
    }

    private static Vector2 Mean(ReadOnlySpan<int> set)
    {
        Vector2 s = Vector2.Zero;
        foreach (Vector2 p in Mesh.Select(set))
        {
            s += p;
        }

        return s / set.Length;
    }

    /// <summary>Whether <paramref name="p"/> is inside the polygon (even-odd rule).</summary>
    private static bool Inside(Vector2[] polygon, Vector2 p)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            if ((polygon[i].Y > p.Y) != (polygon[j].Y > p.Y)
                && p.X < polygon[i].X + ((p.Y - polygon[i].Y) * (polygon[j].X - polygon[i].X) / (polygon[j].Y - polygon[i].Y)))
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
