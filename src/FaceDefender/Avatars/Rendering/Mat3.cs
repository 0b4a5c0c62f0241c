using System.Numerics;

namespace FaceDefender.Avatars.Rendering;

/// <summary>A 3 x 3 rotation matrix acting on column vectors (v' = M v).</summary>
internal readonly struct Mat3
{
    private readonly Vector3 _r0, _r1, _r2;

    public Mat3(Vector3 r0, Vector3 r1, Vector3 r2)
    {
        _r0 = r0;
        _r1 = r1;
        _r2 = r2;
    }

    public static Mat3 Identity => new(Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ);

    /// <summary>Right-handed rotation about X by <paramref name="a"/> radians.</summary>
    public static Mat3 RotX(float a)
    {
        float c = MathF.Cos(a), s = MathF.Sin(a);
        return new Mat3(new(1, 0, 0), new(0, c, -s), new(0, s, c));
    }

    /// <summary>Right-handed rotation about Y by <paramref name="a"/> radians.</summary>
    public static Mat3 RotY(float a)
    {
        float c = MathF.Cos(a), s = MathF.Sin(a);
        return new Mat3(new(c, 0, s), new(0, 1, 0), new(-s, 0, c));
    }

    /// <summary>Right-handed rotation about Z by <paramref name="a"/> radians.</summary>
    public static Mat3 RotZ(float a)
    {
        float c = MathF.Cos(a), s = MathF.Sin(a);
        return new Mat3(new(c, -s, 0), new(s, c, 0), new(0, 0, 1));
    }

    public Vector3 Apply(Vector3 v) => new(Vector3.Dot(_r0, v), Vector3.Dot(_r1, v), Vector3.Dot(_r2, v));

    public Mat3 Transpose() => new(
        new(_r0.X, _r1.X, _r2.X),
        new(_r0.Y, _r1.Y, _r2.Y),
        new(_r0.Z, _r1.Z, _r2.Z));

    public static Mat3 operator *(Mat3 a, Mat3 b)
    {
        Mat3 bt = b.Transpose();
        return new Mat3(
            new(Vector3.Dot(a._r0, bt._r0), Vector3.Dot(a._r0, bt._r1), Vector3.Dot(a._r0, bt._r2)),
            new(Vector3.Dot(a._r1, bt._r0), Vector3.Dot(a._r1, bt._r1), Vector3.Dot(a._r1, bt._r2)),
            new(Vector3.Dot(a._r2, bt._r0), Vector3.Dot(a._r2, bt._r1), Vector3.Dot(a._r2, bt._r2)));
    }
}
