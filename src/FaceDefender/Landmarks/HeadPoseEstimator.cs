using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Geometry;

namespace FaceDefender.Landmarks;

/// <summary>
/// Head pose from a rigid fit of MediaPipe's canonical face model (<see cref="CanonicalFaceMesh"/>)
/// to the 468 mesh landmarks: Horn's closed-form absolute orientation (unit quaternion, the
/// eigenvector of the largest eigenvalue of a 4 x 4 symmetric matrix), with the landmark depth, times
/// <see cref="LandmarkDepthScale"/>, as the third coordinate; the rotation is then split as
/// R = Rz(roll) * Ry(yaw) * Rx(pitch). Thread-safe: no mutable state.
/// </summary>
/// <remarks>
/// Why the depth is scaled: the image positions of a posed face carry more turn than its depth does. The face mesh
/// model's landmarks of a turned head are displaced as for a larger turn (on the ground-truth kit, yaw 25° and pitch
/// 20° read about 29° and 22-26° with the depth as given), and a camera at arm's length magnifies the nearer points
/// (the nose) a little too. Weighting the depth by 0.8 balances the fit: chosen on kit renders (yaw, pitch and roll
/// combinations within ±25°) to minimise the mean absolute error of yaw and pitch; a fit on the image positions alone
/// (weak perspective) was tried and over-read the turn further. Measured accuracy: docs/diagnostics.md.
/// </remarks>
internal static class HeadPoseEstimator
{
    /// <summary>The weight of the landmark depth against the image positions in the fit (see the remarks).</summary>
    public const double LandmarkDepthScale = 0.8;

    public static HeadPose Estimate(ReadOnlySpan<Vector3> landmarks) => Estimate(landmarks, LandmarkDepthScale);

    /// <summary>The fit with the landmark depth weighted by <paramref name="depthScale"/> (1: the depth as given).</summary>
    internal static HeadPose Estimate(ReadOnlySpan<Vector3> landmarks, double depthScale)
    {
        var model = CanonicalFaceMesh.Instance.Vertices.AsSpan();
        int n = CanonicalFaceMesh.VertexCount;

        // Observed points in the model's frame: X right, Y up, Z towards the camera.
        var observed = new Vector3[n];
        for (int i = 0; i < n; i++)
        {
            observed[i] = new Vector3(landmarks[i].X, -landmarks[i].Y, (float)(-landmarks[i].Z * depthScale));
        }

        Vector3 meanModel = Vector3.Zero, meanObserved = Vector3.Zero;
        for (int i = 0; i < n; i++)
        {
            meanModel += model[i];
            meanObserved += observed[i];
        }

        meanModel /= n;
        meanObserved /= n;

        // S[a, b] = sum over points of model_a * observed_b (centred).
        double sxx = 0, sxy = 0, sxz = 0, syx = 0, syy = 0, syz = 0, szx = 0, szy = 0, szz = 0;
        for (int i = 0; i < n; i++)
        {
            Vector3 a = model[i] - meanModel;
            Vector3 b = observed[i] - meanObserved;
            sxx += a.X * b.X; sxy += a.X * b.Y; sxz += a.X * b.Z;
            syx += a.Y * b.X; syy += a.Y * b.Y; syz += a.Y * b.Z;
            szx += a.Z * b.X; szy += a.Z * b.Y; szz += a.Z * b.Z;
        }

        double[,] m =
        {
            { sxx + syy + szz, syz - szy, szx - sxz, sxy - syx },
            { syz - szy, sxx - syy - szz, sxy + syx, szx + sxz },
            { szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy },
            { sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz },
        };
        double[] q = LargestEigenvector(m);
        double w = q[0], x = q[1], y = q[2], z = q[3];

        // Rotation matrix (column-vector convention: observed = R * model), row-major.
        double[] r =
        [
            1 - (2 * ((y * y) + (z * z))), 2 * ((x * y) - (w * z)), 2 * ((x * z) + (w * y)),
            2 * ((x * y) + (w * z)), 1 - (2 * ((x * x) + (z * z))), 2 * ((y * z) - (w * x)),
            2 * ((x * z) - (w * y)), 2 * ((y * z) + (w * x)), 1 - (2 * ((x * x) + (y * y))),
        ];

        return ToAngles(r);
    }

    private static HeadPose ToAngles(double[] r)
    {
        double yaw = Math.Asin(Math.Clamp(-r[6], -1, 1));
        double pitch = Math.Atan2(r[7], r[8]);
        double roll = Math.Atan2(r[3], r[0]);
        const double deg = 180 / Math.PI;

        // Model Y is up, Z towards the camera: a positive turn about +X brings the forehead towards
        // the camera (looking down); about +Y it turns the nose towards +X, the image's right.
        return new HeadPose((float)(roll * deg), (float)(yaw * deg), (float)(pitch * deg));
    }

    // Cyclic Jacobi eigenvalue iteration for a small symmetric matrix.
    private static double[] LargestEigenvector(double[,] a)
    {
        const int size = 4;
        var v = new double[size, size];
        for (int i = 0; i < size; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = 0;
            for (int p = 0; p < size; p++)
            {
                for (int r = p + 1; r < size; r++)
                {
                    off += a[p, r] * a[p, r];
                }
            }

            if (off < 1e-22)
            {
                break;
            }

            for (int p = 0; p < size; p++)
            {
                for (int r = p + 1; r < size; r++)
                {
                    if (Math.Abs(a[p, r]) < 1e-300)
                    {
                        continue;
                    }

                    double theta = (a[r, r] - a[p, p]) / (2 * a[p, r]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    double c = 1 / Math.Sqrt((t * t) + 1);
                    double s = t * c;
                    for (int k = 0; k < size; k++)
                    {
                        double akp = a[k, p], akr = a[k, r];
                        a[k, p] = (c * akp) - (s * akr);
                        a[k, r] = (s * akp) + (c * akr);
                    }

                    for (int k = 0; k < size; k++)
                    {
                        double apk = a[p, k], ark = a[r, k];
                        a[p, k] = (c * apk) - (s * ark);
                        a[r, k] = (s * apk) + (c * ark);
                    }

                    for (int k = 0; k < size; k++)
                    {
                        double vkp = v[k, p], vkr = v[k, r];
                        v[k, p] = (c * vkp) - (s * vkr);
                        v[k, r] = (s * vkp) + (c * vkr);
                    }
                }
            }
        }

        int best = 0;
        for (int i = 1; i < size; i++)
        {
            if (a[i, i] > a[best, best])
            {
                best = i;
            }
        }

        return [v[0, best], v[1, best], v[2, best], v[3, best]];
    }
}
