using System.Numerics;
using FaceDefender.Landmarks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// Test-only probe: runs the embedded iris model on the detector's eye crops (same crop rule as
/// <see cref="MediaPipeLandmarkDetector"/>: square of 2.3 x the corner distance, aligned with the corners,
/// 64 x 64, subject's left eye mirrored) and writes the first 16 of its 71 eye-contour points over the
/// face-mesh lid points they refine in MediaPipe (lower lid outer to inner, then upper lid). It measures
/// what the diagnostics would gain if the detector exposed the fine contour; it is not library code.
/// </summary>
internal sealed class IrisContourProbe : IDisposable
{
    private const int Size = 64;

    // MediaPipe's refinement targets of iris-model contour points 0..15 (subject's right eye; the left eye uses the mirror partners).
    private static readonly int[] RightTargets = [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173];
    private static readonly int[] LeftTargets = [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398];

    private readonly InferenceSession _session = new(EmbeddedModels.Read(EmbeddedModels.Iris));

    /// <summary>Mean distance (px) between the contour points and the mesh points they replace, and the refined landmarks.</summary>
    public (FaceLandmarks Refined, double MeanShift) Refine(Image<Rgb24> image, FaceLandmarks face, bool keepCanthi)
    {
        ReadOnlyMemory<Rgb24> pixels = AffineCropSampler.Pixels(image);
        Vector3[] points = face.Points.ToArray();
        double shift = 0;
        int count = 0;
        foreach ((int a, int b, bool mirror, int[] targets) in new[] { (33, 133, false, RightTargets), (362, 263, true, LeftTargets) })
        {
            Vector2 pa = face[a], pb = face[b];
            float side = Vector2.Distance(pa, pb) * 2.3f;
            float angle = MathF.Atan2(pb.Y - pa.Y, pb.X - pa.X);
            Matrix3x2 toSource = Matrix3x2.CreateTranslation(-Size / 2f, -Size / 2f)
                * Matrix3x2.CreateScale(side / Size * (mirror ? -1 : 1), side / Size)
                * Matrix3x2.CreateRotation(angle)
                * Matrix3x2.CreateTranslation((pa + pb) / 2);
            var input = new float[Size * Size * 3];
            AffineCropSampler.Sample(pixels.Span, image.Width, image.Height, toSource, Size, 1f, 0f, AffineCropSampler.SupersampleFor(side / Size), input);
            float[] raw;
            using (var results = _session.Run([NamedOnnxValue.CreateFromTensor("input_1", new DenseTensor<float>(input, [1, Size, Size, 3]))]))
            {
                raw = results.First().AsTensor<float>().ToArray();
            }

            for (int i = 0; i < targets.Length; i++)
            {
                if (keepCanthi && (i == 0 || i == 8))
                {
                    continue;
                }

                Vector2 p = Vector2.Transform(new Vector2(raw[3 * i], raw[(3 * i) + 1]), toSource);
                shift += Vector2.Distance(p, face[targets[i]]);
                count++;
                points[targets[i]] = new Vector3(p, points[targets[i]].Z);
            }
        }

        return (new FaceLandmarks(points, face.Space), shift / count);
    }

    public void Dispose() => _session.Dispose();
}
