using System.Numerics;
using System.Text.Json;
using FaceDefender.Imaging;

namespace FaceDefender.Tests.Imaging;

/// <summary>
/// Agreement with OpenCV 4.6 (Debian's python3-opencv) on crops of the public-domain portraits.
/// The expected images were recorded by Fixtures/opencv/make_opencv_fixtures.py.
/// </summary>
[Trait("Category", "Kernels")]
public class OpenCvAgreementTests
{
    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static List<JsonElement> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestImages.FixturePath("opencv", "opencv_fixtures.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Output_is_within_one_grey_level_of_OpenCV(int index)
    {
        JsonElement c = Cases()[index];
        (byte[] input, int w, int h) = TestImages.LoadRgb("opencv/" + c.GetProperty("input").GetString());
        (byte[] expected, _, _) = TestImages.LoadRgb("opencv/" + c.GetProperty("output").GetString());
        byte[] actual = new byte[input.Length];
        if (c.GetProperty("op").GetString() == "warpAffine")
        {
            double[][] m = c.GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var matrix = new Matrix3x2((float)m[0][0], (float)m[1][0], (float)m[0][1], (float)m[1][1], (float)m[0][2], (float)m[1][2]);
            AffineWarp.WarpRgb24(input, w, h, actual, w, h, matrix, WarpBorderMode.Constant);
            int diff = TestImages.MaxAbsDiff(actual, expected);
            diff.Should().BeLessThanOrEqualTo(1, c.GetProperty("call").GetString());
        }
        else
        {
            var kernel = GaussianKernel.FromSize(c.GetProperty("ksize").GetInt32(), (float)c.GetProperty("sigma").GetDouble());
            SeparableGaussianBlur.BlurRgb24(input, actual, w, h, kernel, BlurBorderMode.Reflect101);
            TestImages.MaxAbsDiff(actual, expected).Should().Be(0, "the 8-bit blur uses OpenCV's fixed-point kernel and exact integer sums: " + c.GetProperty("call").GetString());
        }
    }
}
