using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FaceDefender.Geometry;
using static FaceDefender.Avatars.Rendering.RenderMath;

namespace FaceDefender.Avatars.Rendering;

/// <summary>Head pose for the renderer, in degrees, with <see cref="FaceDefender.Abstractions.HeadPose"/>'s sign conventions (pitch positive looks down).</summary>
internal readonly record struct PoseDegrees(float Roll, float Yaw, float Pitch);

/// <summary>Output of one render: packed RGB bytes and the exact 478 landmarks in image pixels.</summary>
internal sealed class RasterOutput
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required byte[] Rgb { get; init; }
    public required Vector3[] Landmarks { get; init; }

    /// <summary>The same landmarks in the head frame (cm, before pose), for physical truths.</summary>
    public required Vector3[] HeadFrameLandmarks { get; init; }

    /// <summary>The subject's right eye's schematic-eye projections; null for the original eye.</summary>
    public EyeOptics? RightEyeOptics { get; init; }

    /// <summary>The subject's left eye's schematic-eye projections; null for the original eye.</summary>
    public EyeOptics? LeftEyeOptics { get; init; }
}

/// <summary>What one schematic eye shows in the image (pixels; pixel (i, j) covers [i, i + 1) x [j, j + 1)).</summary>
internal sealed record EyeOptics
{
    /// <summary>Projected centre of the limbus circle (the iris centre landmark).</summary>
    public required Vector2 LimbusCentre { get; init; }

    /// <summary>Projected centre of the entrance pupil.</summary>
    public required Vector2 PupilCentre { get; init; }

    /// <summary>Projected corneal reflex of the light at the camera (the point whose normal points at the camera).</summary>
    public required Vector2 Reflex { get; init; }

    /// <summary>False when the camera is beyond the corneal cap: the reflex is then on the sclera (the globe sphere).</summary>
    public required bool ReflexOnCornea { get; init; }

    /// <summary>The eyeball (not a lid or other skin) is drawn at the reflex.</summary>
    public required bool ReflexVisible { get; init; }

    /// <summary>Radius of the light's mirror image in pixels (0 without a light).</summary>
    public required float ReflexRadiusPixels { get; init; }

    /// <summary>Image scale at the limbus centre's depth, pixels per mm.</summary>
    public required float PixelsPerMm { get; init; }

    /// <summary>Fick angles of the visual axis in the head frame (radians, towards +X and up).</summary>
    public required Vector2 AxisAngles { get; init; }
}

/// <summary>
/// A small software renderer for <see cref="FaceModel"/>: perspective camera, z-buffered triangle
/// rasterisation of the face mesh with perspective-correct interpolation, ray-cast analytic parts
/// (skull, ears, neck, torso, hair), deferred shading with a soft key and fill light, wrap
/// (subsurface-like) diffuse on skin, and painted eyes, brows, lips and lashes.
/// </summary>
/// <remarks>
/// Pose conventions (degrees, rotations about a pivot inside the head): positive yaw turns the face
/// towards the subject's left (image right); positive pitch raises the nose; positive roll tilts the
/// head towards the subject's right shoulder (counter-clockwise on screen). Applied pitch, then
/// yaw, then roll. Framing: the FFHQ alignment of the un-posed head maps to the canvas (about 256 px
/// between the eye centres at 1024 x 1024 and scale 1); pose is applied after framing, so a posed
/// head moves within a fixed frame, like a patient moving in front of a fixed camera.
/// Pixel (i, j) covers [i, i + 1) x [j, j + 1); it is sampled at its centre.
/// </remarks>
internal sealed partial class FaceRasterizer
{
    private const float CameraDistance = 60f;
    private static readonly Vector3 Pivot = new(0f, -1f, -4f);

    // G-buffer ids.
    private const int IdBackground = -1;
    private const int IdSkull = 1000, IdEarR = 1003, IdEarL = 1004, IdNeck = 1005, IdTorso = 1006;
    private const int IdEyeR = 2000, IdEyeL = 2001;

    // Pixel classes for edge anti-aliasing.
    private const byte ClassBackground = 0, ClassSkin = 1, ClassHair = 2, ClassEye = 3, ClassCloth = 4;

    // Lights, in camera-aligned world space (X right, Y up, Z towards the camera).
    private static readonly Vector3 KeyDir = Vector3.Normalize(new Vector3(-0.6f, 0.5f, 0.65f));
    private static readonly Vector3 FillDir = Vector3.Normalize(new Vector3(0.75f, 0.0f, 0.6f));
    private static readonly Vector3 KeyColour = new(1.5f, 1.43f, 1.33f);
    private static readonly Vector3 FillColour = new(0.30f, 0.33f, 0.38f);
    private static readonly Vector3 SkyColour = new(0.24f, 0.25f, 0.28f);
    private static readonly Vector3 GroundColour = new(0.16f, 0.13f, 0.12f);
    private static readonly Vector3 KeyHalfway = Vector3.Normalize(KeyDir + Vector3.UnitZ);
    private static readonly Vector3 SkinWrap = new(0.55f, 0.32f, 0.25f);

    /// <summary>
    /// The tessellation closes the eye openings with triangles whose three corners all lie on the lid
    /// margins; they are skipped so the painted eyeballs show through. The mouth stays closed (its
    /// seam is painted).
    /// </summary>
    private static readonly Lazy<bool[]> OpeningTriangles = new(() =>
    {
        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        var rings = new[] { new HashSet<int>(FaceModel.RightEyeRing), new HashSet<int>(FaceModel.LeftEyeRing) };
        var result = new bool[CanonicalFaceMesh.TriangleCount];
        for (int t = 0; t < result.Length; t++)
        {
            foreach (HashSet<int> ring in rings)
            {
                if (ring.Contains(idx[3 * t]) && ring.Contains(idx[3 * t + 1]) && ring.Contains(idx[3 * t + 2]))
                {
                    result[t] = true;
                }
            }
        }

        return result;
    });

    // The camera light's corneal reflex (ground-truth kit): peak radiance of a 4 cm light's mirror image, in the linear
    // units where a white surface in full key light is about 1. For a light of area A at distance d the reflex is
    // 0.025 pi d^2 / (rho A) times as bright as skin of albedo rho lit by the same light (Fresnel reflectance of the
    // cornea, n = 1.376: 2.5 %), about 45x for a 4 cm light at 60 cm: far beyond saturation, as in a flash photograph.
    // The reflex's total flux does not depend on the light's size (radiance ~ 1 / A, image area ~ A).
    private const float ReflexRadiance4Cm = 25f;

    // Soft edge of the reflex: a Gaussian of 0.5 px (the scale of the renderer's edge anti-aliasing) convolved with the
    // light's mirror image (a disc of radius r, per-axis variance r^2 / 4).
    private const float ReflexBlurPixels = 0.5f;

    private readonly FaceModel _model;
    private readonly RenderBuffers _buffers;
    private readonly float _cameraLightCm;
    private ReflexSpot _reflexR, _reflexL;

    /// <summary>A schematic eye's corneal reflex: head-frame point, canvas position, radius in pixels.</summary>
    private readonly record struct ReflexSpot(Vector3 Point, Vector2 Canvas, bool OnCornea, float RadiusPx);
    private readonly Vector3 _downWorld;
    private readonly AvatarLook _look;
    private readonly int _w, _h;
    private readonly Mat3 _rot, _rotInv;
    private readonly bool _posed;
    private readonly Vector3 _camHead; // camera position in the head frame

    // Framing: canvas = centre + k * [dot(q - c, xAxis), dot(q - c, yAxis)] for projected q.
    private readonly Vector2 _c, _xAxis, _yAxis;
    private readonly float _k;

    // Head-frame ray direction = _rayA + px * _rayB + py * _rayC (affine in the pixel position).
    private readonly Vector3 _rayA, _rayB, _rayC;

    // Per-vertex screen data.
    private readonly Vector2[] _screen;
    private readonly float[] _depth;
    private readonly Vector3[] _posedNormals;

    // G-buffer.
    private readonly float[] _zbuf;
    private readonly int[] _id;
    private readonly float[] _b1, _b2;
    private readonly float[] _colour; // linear RGB, 3 floats per pixel
    private readonly byte[] _class;

    // Hair layer, computed before the shading: what shows of the shaded head is colour * _hairT + _hairRgb.
    private readonly float[] _hairT;   // transmittance of the hair layers (1: no hair)
    private readonly float[] _hairRgb; // premultiplied hair colour, 3 floats per pixel (valid where _hairT < 1)
    private bool[] _hairFlag = [];      // pixels classed as hair for the edge anti-aliasing
    private (int X0, int Y0, int X1, int Y1) _hairBox = (0, 0, -1, -1);

    // Painting polylines in canonical space.
    private readonly Vector2[] _browR, _browL;
    private readonly float[] _browHalfR, _browHalfL;
    private readonly Vector2[] _upperR, _upperL, _lowerR, _lowerL;
    private readonly Vector2[] _outerLips;
    private readonly LipTable _lips;
    private readonly Vector2[] _eyePolyR, _eyePolyL;
    private readonly Box _browBoxR, _browBoxL, _lidBoxR, _lidBoxL, _lipBox;
    private readonly float _orbitDarkening;
    private readonly Vector3[] _vertexTint = new Vector3[CanonicalFaceMesh.VertexCount];
    private readonly float[] _vertexSpec = new float[CanonicalFaceMesh.VertexCount];
    private readonly Vector4[] _vertexNormalAo = new Vector4[CanonicalFaceMesh.VertexCount]; // posed normal, occlusion
    private readonly Vector4[] _vertexPosSpec = new Vector4[CanonicalFaceMesh.VertexCount];  // canonical position, specular
    private readonly Vector4[] _vertexTint4 = new Vector4[CanonicalFaceMesh.VertexCount];    // skin tint, 0
    private readonly Box _wrinkleBox;

    /// <summary>An axis-aligned box in canonical (x, y), to skip painting work far from a feature.</summary>
    private readonly record struct Box(float MinX, float MinY, float MaxX, float MaxY)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Contains(Vector2 p) => p.X >= MinX && p.X <= MaxX && p.Y >= MinY && p.Y <= MaxY;

        public static Box Around(IEnumerable<Vector2> points, float padX, float padBelow, float padAbove)
        {
            var list = points.ToList();
            return new Box(list.Min(p => p.X) - padX, list.Min(p => p.Y) - padBelow, list.Max(p => p.X) + padX, list.Max(p => p.Y) + padAbove);
        }
    }

    private FaceRasterizer(FaceModel model, AvatarLook look, PoseDegrees pose, int width, int height, float scale, float cameraLightCm)
    {
        _model = model;
        _cameraLightCm = cameraLightCm;
        _look = look;
        _w = width;
        _h = height;
        float d2r = MathF.PI / 180f;
        _rot = Mat3.RotZ(pose.Roll * d2r) * Mat3.RotY(pose.Yaw * d2r) * Mat3.RotX(pose.Pitch * d2r);
        _rotInv = _rot.Transpose();
        _posed = pose.Roll != 0f || pose.Yaw != 0f || pose.Pitch != 0f;
        _camHead = _rotInv.Apply(new Vector3(0f, 0f, CameraDistance) - Pivot) + Pivot;
        _downWorld = _rot.Apply(new Vector3(0f, -1f, 0f));

        // FFHQ framing from the un-posed head (the paper's normalised canvas).
        Vector3[] v = model.Vertices;
        Vector2 P(int i) => Project(v[i]);
        Vector2 eyeR = (P(33) + P(159) + P(158) + P(133) + P(153) + P(144)) / 6f;
        Vector2 eyeL = (P(362) + P(385) + P(386) + P(263) + P(373) + P(380)) / 6f;
        Vector2 mouth = (P(61) + P(308)) / 2f;
        Vector2 eyeToEye = eyeL - eyeR; // image-left eye to image-right eye
        Vector2 mid = (eyeR + eyeL) / 2f;
        Vector2 eyeToMouth = mouth - mid;
        Vector2 x = eyeToEye - new Vector2(-eyeToMouth.Y, eyeToMouth.X);
        x = Vector2.Normalize(x);
        float half = MathF.Max(eyeToEye.Length() * 2f, eyeToMouth.Length() * 1.8f);
        _xAxis = x;
        _yAxis = new Vector2(-x.Y, x.X);
        _c = mid + 0.1f * eyeToMouth;
        _k = 512f / half * scale * (width / 1024f);
        Vector2 q0 = _c - (_w * 0.5f / _k) * _xAxis - (_h * 0.5f / _k) * _yAxis;
        _rayA = _rotInv.Apply(new Vector3(q0.X, -q0.Y, -1f));
        _rayB = _rotInv.Apply(new Vector3(_xAxis.X / _k, -_xAxis.Y / _k, 0f));
        _rayC = _rotInv.Apply(new Vector3(_yAxis.X / _k, -_yAxis.Y / _k, 0f));

        _screen = new Vector2[v.Length];
        _depth = new float[v.Length];
        _posedNormals = new Vector3[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            Vector3 pw = PoseToWorld(v[i]);
            _screen[i] = ToCanvas(ProjectWorld(pw));
            _depth[i] = CameraDistance - pw.Z;
            _posedNormals[i] = _rot.Apply(model.Normals[i]);
        }

        _buffers = RenderBuffers.Rent(width * height);
        _zbuf = _buffers.Depth;
        _id = _buffers.Id;
        _b1 = _buffers.B1;
        _b2 = _buffers.B2;
        _colour = _buffers.Colour;
        _class = _buffers.Class;
        _hairT = _buffers.HairT;
        _hairRgb = _buffers.HairRgb;

        Vector3[] cv = model.Canonical;
        (_browR, _browHalfR) = BrowLine(cv, [(107, 55), (66, 65), (105, 52), (63, 53), (70, 46)]);
        (_browL, _browHalfL) = BrowLine(cv, [(336, 285), (296, 295), (334, 282), (293, 283), (300, 276)]);
        _browHalfR = BrowHalfScaled(_browHalfR);
        _browHalfL = BrowHalfScaled(_browHalfL);
        _upperR = Flat(cv, [33, 246, 161, 160, 159, 158, 157, 173, 133]);
        _upperL = Flat(cv, [263, 466, 388, 387, 386, 385, 384, 398, 362]);
        _lowerR = Flat(cv, [33, 7, 163, 144, 145, 153, 154, 155, 133]);
        _lowerL = Flat(cv, [263, 249, 390, 373, 374, 380, 381, 382, 362]);
        _outerLips = Flat(cv, FaceModel.OuterLips);
        _lips = LipTable.Instance;
        _browBoxR = Box.Around(_browR, _browHalfR.Max() * 1.3f, _browHalfR.Max() * 1.3f, _browHalfR.Max() * 1.3f);
        _browBoxL = Box.Around(_browL, _browHalfL.Max() * 1.3f, _browHalfL.Max() * 1.3f, _browHalfL.Max() * 1.3f);
        _lidBoxR = Box.Around(_upperR.Concat(_lowerR), 0.2f, 0.12f, 1.0f);
        _lidBoxL = Box.Around(_upperL.Concat(_lowerL), 0.2f, 0.12f, 1.0f);
        _lipBox = Box.Around(_outerLips, 0.08f, 0.08f, 0.08f);
        _orbitDarkening = 0.10f * (1f - 0.4f * look.Youth) + 0.12f * look.Ageing + (look.Tone == Abstractions.SkinTone.Dark ? 0.08f : 0.03f) + look.OrbitShadow;
        _wrinkleBox = new Box(-6f, -7f, 6f, 8.7f);
        PrecomputeVertexSkin();
        for (int i = 0; i < v.Length; i++)
        {
            _vertexNormalAo[i] = new Vector4(_posedNormals[i], model.Occlusion[i]);
            _vertexPosSpec[i] = new Vector4(cv[i], _vertexSpec[i]);
            _vertexTint4[i] = new Vector4(_vertexTint[i], 0f);
        }
        _eyePolyR = FaceModel.RightEyeRing.Select(i => _screen[i]).ToArray();
        _eyePolyL = FaceModel.LeftEyeRing.Select(i => _screen[i]).ToArray();
    }

    /// <summary>
    /// Renders <paramref name="model"/> and returns the image with its exact landmarks. <paramref name="cameraLightCm"/>:
    /// diameter of a light at the camera whose corneal reflex is drawn on schematic eyes (0: none).
    /// </summary>
    public static RasterOutput Render(FaceModel model, AvatarLook look, PoseDegrees pose, int width, int height, float scale, float cameraLightCm = 0f)
    {
        var r = new FaceRasterizer(model, look, pose, width, height, scale, cameraLightCm);
        try
        {
            return r.Run();
        }
        finally
        {
            RenderBuffers.Return(r._buffers);
        }
    }

    /// <summary>
    /// The per-pixel scratch buffers (about 44 bytes per pixel). One set is kept for reuse, so
    /// repeated renders do not allocate and fault in ~30 MB each time; concurrent renders rent their own.
    /// </summary>
    private sealed class RenderBuffers
    {
        private static RenderBuffers? _spare;

        private RenderBuffers(int n)
        {
            Depth = new float[n];
            Id = new int[n];
            B1 = new float[n];
            B2 = new float[n];
            Colour = new float[n * 3];
            Class = new byte[n];
            HairT = new float[n];
            HairRgb = new float[n * 3];
        }

        public float[] Depth { get; }
        public int[] Id { get; }
        public float[] B1 { get; }
        public float[] B2 { get; }
        public float[] Colour { get; }
        public byte[] Class { get; }
        public float[] HairT { get; }
        public float[] HairRgb { get; }

        public static RenderBuffers Rent(int n)
        {
            RenderBuffers? spare = Interlocked.Exchange(ref _spare, null);
            return spare is not null && spare.Id.Length == n ? spare : new RenderBuffers(n);
        }

        public static void Return(RenderBuffers buffers) => Volatile.Write(ref _spare, buffers);
    }

    private RasterOutput Run()
    {
        Mark("set-up");
        Array.Fill(_zbuf, float.MaxValue);
        Array.Fill(_id, IdBackground);
        Array.Fill(_hairT, 1f);
        Mark("clear");
        RasteriseMesh();
        Mark("mesh");
        CastShapes();
        Mark("shapes");
        MarkHoles();
        Mark("holes");
        ComputeHair();
        Mark("hair");
        Shade();
        Mark("shade");
        ShadeEyeLids();
        Mark("lids");
        AddCornealReflexes();
        ComposeHair();
        Mark("compose");
        byte[] rgb = Resolve();
        Mark("resolve");
        var output = new RasterOutput
        {
            Width = _w,
            Height = _h,
            Rgb = rgb,
            Landmarks = ComputeLandmarks(out Vector3[] head),
            HeadFrameLandmarks = head,
            RightEyeOptics = Optics(_model.RightEye, _reflexR, IdEyeR),
            LeftEyeOptics = Optics(_model.LeftEye, _reflexL, IdEyeL),
        };
        Mark("landmarks");
        return output;
    }

    // ---------------------------------------------------------------- geometry helpers

    /// <summary>The camera's position in the head frame for <paramref name="pose"/> (the same arithmetic as the constructor's).</summary>
    internal static Vector3 CameraInHeadFrame(PoseDegrees pose)
    {
        float d2r = MathF.PI / 180f;
        Mat3 rot = Mat3.RotZ(pose.Roll * d2r) * Mat3.RotY(pose.Yaw * d2r) * Mat3.RotX(pose.Pitch * d2r);
        return rot.Transpose().Apply(new Vector3(0f, 0f, CameraDistance) - Pivot) + Pivot;
    }

    private static Vector2 Project(Vector3 p)
    {
        float d = CameraDistance - p.Z;
        return new Vector2(p.X / d, -p.Y / d);
    }

    private static Vector2 ProjectWorld(Vector3 pw) => Project(pw);

    private Vector3 PoseToWorld(Vector3 p) => _rot.Apply(p - Pivot) + Pivot;

    /// <summary>A head-frame direction in world space (the identity, skipped, for an un-posed head).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector3 ToWorld(Vector3 v) => _posed ? _rot.Apply(v) : v;

    private Vector2 ToCanvas(Vector2 q)
    {
        Vector2 d = q - _c;
        return new Vector2(_w * 0.5f + _k * Vector2.Dot(d, _xAxis), _h * 0.5f + _k * Vector2.Dot(d, _yAxis));
    }

    /// <summary>Ray direction in the head frame for canvas point (px, py); parameter t is camera depth.</summary>
    private Vector3 RayDirHead(float px, float py) => _rayA + px * _rayB + py * _rayC;

    private Vector3[] ComputeLandmarks(out Vector3[] headFrame)
    {
        var result = new Vector3[478];
        headFrame = new Vector3[478];
        Vector3[] v = _model.Vertices;
        float meanDepth = 0f;
        for (int i = 0; i < v.Length; i++)
        {
            meanDepth += _depth[i];
        }

        meanDepth /= v.Length;
        float pxPerCm = _k / meanDepth;
        for (int i = 0; i < v.Length; i++)
        {
            result[i] = new Vector3(_screen[i], (_depth[i] - meanDepth) * pxPerCm);
            headFrame[i] = v[i];
        }

        AddIris(result, headFrame, 468, _model.RightEye, meanDepth, pxPerCm);
        AddIris(result, headFrame, 473, _model.LeftEye, meanDepth, pxPerCm);
        return result;
    }

    private void AddIris(Vector3[] result, Vector3[] head, int first, EyeballModel eye, float meanDepth, float pxPerCm)
    {
        // Order: centre, nasal, top, temporal, bottom: mirror-symmetric between the eyes, as the
        // project's MediaPipe detector returns them (469 and 474 are both on the nose side).
        Vector3 c = eye.IrisCentre;
        float r = eye.IrisRadius;
        Vector3 nasal = first == 468 ? eye.AxisX : -eye.AxisX;
        Span<Vector3> pts = [c, c + r * nasal, c + r * eye.AxisY, c - r * nasal, c - r * eye.AxisY];
        for (int k = 0; k < 5; k++)
        {
            Vector3 pw = PoseToWorld(pts[k]);
            result[first + k] = new Vector3(ToCanvas(ProjectWorld(pw)), (CameraDistance - pw.Z - meanDepth) * pxPerCm);
            head[first + k] = pts[k];
        }
    }

    // ---------------------------------------------------------------- pass 1: mesh

    private void RasteriseMesh()
    {
        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        bool[] closing = OpeningTriangles.Value;
        for (int t = 0; t < CanonicalFaceMesh.TriangleCount; t++)
        {
            if (closing[t])
            {
                continue;
            }

            int i0 = idx[3 * t], i1 = idx[3 * t + 1], i2 = idx[3 * t + 2];
            Vector2 p0 = _screen[i0], p1 = _screen[i1], p2 = _screen[i2];
            float area = (p1.X - p0.X) * (p2.Y - p0.Y) - (p1.Y - p0.Y) * (p2.X - p0.X);
            if (MathF.Abs(area) < 1e-8f)
            {
                continue;
            }

            float inv = 1f / area;
            int x0 = Math.Max(0, (int)MathF.Floor(MathF.Min(p0.X, MathF.Min(p1.X, p2.X))));
            int x1 = Math.Min(_w - 1, (int)MathF.Ceiling(MathF.Max(p0.X, MathF.Max(p1.X, p2.X))));
            int y0 = Math.Max(0, (int)MathF.Floor(MathF.Min(p0.Y, MathF.Min(p1.Y, p2.Y))));
            int y1 = Math.Min(_h - 1, (int)MathF.Ceiling(MathF.Max(p0.Y, MathF.Max(p1.Y, p2.Y))));
            float iz0 = 1f / _depth[i0], iz1 = 1f / _depth[i1], iz2 = 1f / _depth[i2];
            // Barycentrics are affine in the pixel position: step them along each row.
            float dw1 = (p2.Y - p0.Y) * inv, dw2 = -(p1.Y - p0.Y) * inv;
            for (int y = y0; y <= y1; y++)
            {
                float py = y + 0.5f;
                int row = y * _w;
                float px0 = x0 + 0.5f;
                float w1 = ((px0 - p0.X) * (p2.Y - p0.Y) - (py - p0.Y) * (p2.X - p0.X)) * inv - dw1;
                float w2 = ((p1.X - p0.X) * (py - p0.Y) - (p1.Y - p0.Y) * (px0 - p0.X)) * inv - dw2;
                for (int x = x0; x <= x1; x++)
                {
                    w1 += dw1;
                    w2 += dw2;
                    float w0 = 1f - w1 - w2;
                    if (w0 < 0f || w1 < 0f || w2 < 0f)
                    {
                        continue;
                    }

                    float iz = w0 * iz0 + w1 * iz1 + w2 * iz2;
                    float z = 1f / iz;
                    int o = row + x;
                    if (z < _zbuf[o])
                    {
                        _zbuf[o] = z;
                        _id[o] = t;
                        _b1[o] = w1 * iz1 * z;
                        _b2[o] = w2 * iz2 * z;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- pass 2: analytic shapes

    private void CastShapes()
    {
        FaceModel m = _model;
        CastEllipsoid(IdTorso, m.TorsoCentre, m.TorsoRadii);
        CastNeck();
        if (m.SkullLowerRadiusY == m.SkullRadii.Y)
        {
            CastEllipsoid(IdSkull, m.SkullCentre, m.SkullRadii);
        }
        else
        {
            // A child's skull: the upper half of one ellipsoid on the lower half of a shorter one.
            CastEllipsoid(IdSkull, m.SkullCentre, m.SkullRadii, half: 1);
            CastEllipsoid(IdSkull, m.SkullCentre, m.SkullRadii with { Y = m.SkullLowerRadiusY }, half: -1);
        }
        CastEllipsoid(IdEarR, new Vector3(-m.EarCentre.X, m.EarCentre.Y, m.EarCentre.Z), m.EarRadii);
        CastEllipsoid(IdEarL, m.EarCentre, m.EarRadii);
    }

    private (int X0, int Y0, int X1, int Y1) ScreenBounds(Vector3 centre, Vector3 radii)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < 24; i++)
        {
            float th = i * MathF.Tau / 24f;
            for (int j = 1; j < 12; j++)
            {
                float ph = j * MathF.PI / 12f;
                var p = centre + radii * new Vector3(MathF.Sin(ph) * MathF.Cos(th), MathF.Cos(ph), MathF.Sin(ph) * MathF.Sin(th));
                Vector2 s = ToCanvas(Project(PoseToWorld(p)));
                minX = MathF.Min(minX, s.X);
                maxX = MathF.Max(maxX, s.X);
                minY = MathF.Min(minY, s.Y);
                maxY = MathF.Max(maxY, s.Y);
            }
        }

        // The sampled outline can sit a little inside the true silhouette: pad by 3 %.
        float padX = 0.03f * (maxX - minX) + 2f, padY = 0.03f * (maxY - minY) + 2f;
        return (Math.Max(0, (int)(minX - padX)), Math.Max(0, (int)(minY - padY)), Math.Min(_w - 1, (int)(maxX + padX)), Math.Min(_h - 1, (int)(maxY + padY)));
    }

    /// <summary>Both roots of the ray/ellipsoid intersection, or false.</summary>
    private static bool IntersectEllipsoid(Vector3 o, Vector3 d, Vector3 c, Vector3 r, out float t0, out float t1)
    {
        Vector3 oc = (o - c) / r, dd = d / r;
        float a = Vector3.Dot(dd, dd), b = Vector3.Dot(oc, dd), cc = Vector3.Dot(oc, oc) - 1f;
        float disc = b * b - a * cc;
        if (disc < 0f)
        {
            t0 = t1 = 0f;
            return false;
        }

        float s = MathF.Sqrt(disc);
        t0 = (-b - s) / a;
        t1 = (-b + s) / a;
        return true;
    }

    /// <summary>Casts an ellipsoid; <paramref name="half"/> 1 keeps only hits above its centre, -1 only below, 0 all.</summary>
    /// <remarks>
    /// The ray directions are stepped along each row (as always, so the hits do not move), then tested 8 pixels at a
    /// time with 256-bit vectors where available (the same arithmetic as the scalar tail).
    /// </remarks>
    private void CastEllipsoid(int id, Vector3 centre, Vector3 radii, int half = 0)
    {
        var (x0, y0, x1, y1) = ScreenBounds(centre, radii);
        Vector3 invR = Vector3.One / radii;
        Vector3 o = (_camHead - centre) * invR;
        float c = Vector3.Dot(o, o) - 1f;
        Vector3 stepX = _rayB * invR;
        bool ear = id is IdEarR or IdEarL;
        float earCut = _model.EarCentre.Y - 2.6f;
        // Where the hit's head-frame height must lie: ears above earCut, half a child's skull above or below its centre.
        float level = ear ? earCut : centre.Y;
        int side = ear ? 1 : half; // 1: keep heights >= level, -1: keep heights < level, 0: keep all
        bool vector = Vector256.IsHardwareAccelerated && x1 - x0 >= 7;
        int n = Math.Max(0, x1 - x0 + 1);
        float[] rays = vector ? new float[3 * n] : [];
        for (int y = y0; y <= y1; y++)
        {
            float py = y + 0.5f;
            Vector3 d = RayDirHead(x0 + 0.5f, py) * invR;
            int row = y * _w;
            int x = x0;
            if (vector)
            {
                FillRayPlanes(rays, n, d, stepX);

                for (; x + 8 <= x1 + 1; x += 8)
                {
                    CastEllipsoid8(row + x, x + 0.5f, py, rays, x - x0, n, id, o, c, level, side);
                }

                d = new Vector3(rays[x - x0 < n ? x - x0 : 0], rays[n + (x - x0 < n ? x - x0 : 0)], rays[(2 * n) + (x - x0 < n ? x - x0 : 0)]);
            }

            for (; x <= x1; x++, d += stepX)
            {
                int idx = row + x;
                if ((uint)_id[idx] < CanonicalFaceMesh.TriangleCount)
                {
                    continue; // skull, ears and neck sit behind the face surface: never over it
                }

                float a = Vector3.Dot(d, d), b = Vector3.Dot(o, d);
                float disc = b * b - a * c;
                if (disc < 0f)
                {
                    continue;
                }

                float t = (-b - MathF.Sqrt(disc)) / a;
                if (t <= 0f || t >= _zbuf[idx])
                {
                    continue;
                }

                if (side != 0 && (_camHead.Y + t * ((_rayA.Y + (x + 0.5f) * _rayB.Y) + py * _rayC.Y) >= level) != (side > 0))
                {
                    continue; // an ear's lower end, or the other half of a child's skull
                }

                _zbuf[idx] = t;
                _id[idx] = id;
            }
        }
    }

    /// <summary>
    /// <see cref="CastEllipsoid"/> for the 8 pixels <paramref name="idx"/> .. + 7 of one row (centres from
    /// <paramref name="px"/>; scaled ray directions from <paramref name="rays"/> at <paramref name="k"/>, planes of
    /// <paramref name="n"/>), the scalar tail's arithmetic.
    /// </summary>
    private void CastEllipsoid8(int idx, float px, float py, float[] rays, int k, int n, int id, Vector3 o, float c, float level, int side)
    {
        ref int ids = ref MemoryMarshal.GetArrayDataReference(_id);
        ref float zb = ref MemoryMarshal.GetArrayDataReference(_zbuf);
        Vector256<int> cur = Vector256.LoadUnsafe(ref ids, (nuint)idx);
        Vector256<float> free = Vector256.GreaterThanOrEqual(cur.AsUInt32(), Vector256.Create((uint)CanonicalFaceMesh.TriangleCount)).AsSingle();
        if (free == Vector256<float>.Zero)
        {
            return;
        }

        Vector256<float> dx = Vector256.Create(rays, k), dy = Vector256.Create(rays, n + k), dz = Vector256.Create(rays, (2 * n) + k);
        Vector256<float> a = (dx * dx) + (dy * dy) + (dz * dz);
        Vector256<float> b = (dx * o.X) + (dy * o.Y) + (dz * o.Z);
        Vector256<float> disc = (b * b) - (a * c);
        Vector256<float> t = (-b - Vector256.Sqrt(Vector256.Max(disc, Vector256<float>.Zero))) / a;
        Vector256<float> z = Vector256.LoadUnsafe(ref zb, (nuint)idx);
        Vector256<float> take = free & Vector256.GreaterThanOrEqual(disc, Vector256<float>.Zero)
            & Vector256.GreaterThan(t, Vector256<float>.Zero) & Vector256.LessThan(t, z);
        if (side != 0 && take != Vector256<float>.Zero)
        {
            Vector256<float> x = Vector256.Create(px) + Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
            Vector256<float> ry = Vector256.Create(_rayA.Y) + (x * _rayB.Y) + Vector256.Create(py * _rayC.Y);
            Vector256<float> above = Vector256.GreaterThanOrEqual(Vector256.Create(_camHead.Y) + (t * ry), Vector256.Create(level));
            take &= side > 0 ? above : ~above;
        }

        if (take == Vector256<float>.Zero)
        {
            return;
        }

        Vector256.ConditionalSelect(take, t, z).StoreUnsafe(ref zb, (nuint)idx);
        Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(id), cur).StoreUnsafe(ref ids, (nuint)idx);
    }

    /// <summary>The ray directions of <paramref name="n"/> pixels along a row, stepped from <paramref name="d"/> by <paramref name="step"/> as the scalar loops do, stored as three planes (x, y, z) for the 8-pixel paths.</summary>
    private static void FillRayPlanes(float[] rays, int n, Vector3 d, Vector3 step)
    {
        for (int k = 0; k < n; k++, d += step)
        {
            rays[k] = d.X;
            rays[n + k] = d.Y;
            rays[(2 * n) + k] = d.Z;
        }
    }

    private void CastNeck()
    {
        FaceModel m = _model;
        var (x0, _, x1, _) = ScreenBounds(m.NeckCentre + new Vector3(0f, -12f, 0f), new Vector3(m.NeckRadii.X, 14f, m.NeckRadii.Y));
        Vector2 topS = ToCanvas(Project(PoseToWorld(new Vector3(0f, m.NeckTopY + 2f, 0f))));
        int y0 = Math.Clamp((int)topS.Y - (int)(0.4f * _k), 0, _h);
        float rx = m.NeckRadii.X, rz = m.NeckRadii.Y;
        float ox = (_camHead.X - m.NeckCentre.X) / rx, oz = (_camHead.Z - m.NeckCentre.Z) / rz;
        float c = ox * ox + oz * oz - 1f;
        bool vector = Vector256.IsHardwareAccelerated && x1 - x0 >= 7;
        int n = Math.Max(0, x1 - x0 + 1);
        float[] rays = vector ? new float[3 * n] : [];
        ref int ids = ref MemoryMarshal.GetArrayDataReference(_id);
        ref float zb = ref MemoryMarshal.GetArrayDataReference(_zbuf);
        for (int y = y0; y < _h; y++)
        {
            Vector3 d = RayDirHead(x0 + 0.5f, y + 0.5f);
            int row = y * _w;
            int x = x0;
            if (vector)
            {
                FillRayPlanes(rays, n, d, _rayB); // stepped along the row as in the scalar loop, then 8 pixels at a time

                Vector256<uint> meshIds = Vector256.Create((uint)CanonicalFaceMesh.TriangleCount);
                for (; x + 8 <= x1 + 1; x += 8)
                {
                    int idx = row + x;
                    Vector256<int> cur = Vector256.LoadUnsafe(ref ids, (nuint)idx);
                    Vector256<float> free = Vector256.GreaterThanOrEqual(cur.AsUInt32(), meshIds).AsSingle();
                    if (free == Vector256<float>.Zero)
                    {
                        continue;
                    }

                    int k = x - x0;
                    Vector256<float> dx = Vector256.Create(rays, k) / rx, dy = Vector256.Create(rays, n + k), dz = Vector256.Create(rays, (2 * n) + k) / rz;
                    Vector256<float> a = (dx * dx) + (dz * dz), b = (dx * ox) + (dz * oz);
                    Vector256<float> disc = (b * b) - (a * c);
                    Vector256<float> t = (-b - Vector256.Sqrt(Vector256.Max(disc, Vector256<float>.Zero))) / a;
                    Vector256<float> hy = Vector256.Create(_camHead.Y) + (t * dy);
                    Vector256<float> z = Vector256.LoadUnsafe(ref zb, (nuint)idx);
                    Vector256<float> take = free & Vector256.GreaterThanOrEqual(disc, Vector256<float>.Zero)
                        & Vector256.LessThanOrEqual(hy, Vector256.Create(m.NeckTopY)) & Vector256.GreaterThanOrEqual(hy, Vector256.Create(-45f))
                        & Vector256.GreaterThan(t, Vector256<float>.Zero) & Vector256.LessThan(t, z);
                    if (take != Vector256<float>.Zero)
                    {
                        Vector256.ConditionalSelect(take, t, z).StoreUnsafe(ref zb, (nuint)idx);
                        Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(IdNeck), cur).StoreUnsafe(ref ids, (nuint)idx);
                    }
                }

                int r = x - x0 < n ? x - x0 : 0;
                d = new Vector3(rays[r], rays[n + r], rays[(2 * n) + r]);
            }

            for (; x <= x1; x++, d += _rayB)
            {
                int idx = row + x;
                if ((uint)_id[idx] < CanonicalFaceMesh.TriangleCount)
                {
                    continue;
                }

                float dx = d.X / rx, dz = d.Z / rz;
                float a = dx * dx + dz * dz, b = ox * dx + oz * dz;
                float disc = b * b - a * c;
                if (disc < 0f)
                {
                    continue;
                }

                float t = (-b - MathF.Sqrt(disc)) / a;
                float hy = _camHead.Y + t * d.Y;
                if (hy > m.NeckTopY || hy < -45f || t <= 0f || t >= _zbuf[idx])
                {
                    continue;
                }

                _zbuf[idx] = t;
                _id[idx] = IdNeck;
            }
        }
    }

    // ---------------------------------------------------------------- pass 4: hair layers (before the shading)

    /// <summary>
    /// The hair curtain (long hair, behind and beside the head) and the hair shell (over the skull),
    /// per pixel: the curtain first, then the shell over it (hidden behind the curtain where the
    /// curtain is more than half opaque and nearer). The result is a transmittance and a premultiplied
    /// colour, so the shading pass can skip what opaque hair hides and <see cref="ComposeHair"/> puts
    /// the hair over the shaded head afterwards. A layer hidden by an opaque layer in front is not shaded.
    /// </summary>
    private void ComputeHair()
    {
        FaceModel m = _model;
        bool curtain = _look.HairBottomY < m.SkullCentre.Y - 2f;
        var shellBox = ScreenBounds(m.HairCentre, m.HairRadii);
        var curtainBox = (X0: 0, Y0: 0, X1: -1, Y1: -1);
        if (curtain)
        {
            Vector3 c = m.HairCentre;
            float top = c.Y + _look.CurtainTopCm, bottom = _look.HairBottomY - 1.5f;
            curtainBox = ScreenBounds(new Vector3(c.X, 0.5f * (top + bottom), c.Z), new Vector3(m.HairRadii.X + 4f, 0.5f * (top - bottom), m.HairRadii.Z + 1.5f));
        }

        int x0 = shellBox.X0, y0 = shellBox.Y0, x1 = shellBox.X1, y1 = shellBox.Y1;
        if (curtain)
        {
            x0 = Math.Min(x0, curtainBox.X0);
            y0 = Math.Min(y0, curtainBox.Y0);
            x1 = Math.Max(x1, curtainBox.X1);
            y1 = Math.Max(y1, curtainBox.Y1);
        }

        _hairBox = (x0, y0, x1, y1);
        if (x1 < x0 || y1 < y0)
        {
            return;
        }

        _hairFlag = new bool[(x1 - x0 + 1) * (y1 - y0 + 1)];
        Vector3 invR = Vector3.One / m.HairRadii;
        Vector3 o = (_camHead - m.HairCentre) * invR;
        float cShell = Vector3.Dot(o, o) - 1f;
        int boxW = x1 - x0 + 1;
        var pre = new HairPrefilter(this, curtain);
        var hairBatch = new HairShadeBatch(this, _w);
        for (int y = y0; y <= y1; y++)
        {
            int row = y * _w;
            bool curtainRow = curtain && y >= curtainBox.Y0 && y <= curtainBox.Y1;
            bool shellRow = y >= shellBox.Y0 && y <= shellBox.Y1;
            int flagRow = (y - y0) * boxW;
            for (int bx = x0; bx <= x1; bx += 8)
            {
                int lanes = Math.Min(8, x1 - bx + 1);
                (uint maybeCurtain, uint maybeShell) = pre.Block(bx, y, lanes, curtainRow, shellRow);
                if ((maybeCurtain | maybeShell) == 0)
                {
                    continue; // neither layer can show here (the same tests as CurtainHit and ShellHit, 8 pixels at a time)
                }

                uint curtainLanes = maybeCurtain & LaneRange(bx, curtainBox.X0, curtainBox.X1);
                uint shellLanes = maybeShell & LaneRange(bx, shellBox.X0, shellBox.X1);
                if (pre.Vectorised)
                {
                    // Both layers' hits decided 8 pixels at a time; only the hits are handled one by one.
                    (uint curtainHits, uint shellHits) = pre.Resolve(curtainLanes, shellLanes);
                    if (curtainHits == 0 && shellHits == 0xFFu)
                    {
                        pre.AddShellBlock(row + bx, flagRow + (bx - x0), hairBatch);
                        continue;
                    }

                    for (uint hits = curtainHits | shellHits; hits != 0; hits &= hits - 1)
                    {
                        int lane = BitOperations.TrailingZeroCount(hits);
                        (float tCurtain, float aCurtain) = pre.CurtainAt(lane);
                        (float tShell, float aShell) = pre.ShellAt(lane);
                        AddHairPixel(row + bx + lane, flagRow + (bx - x0) + lane, pre.Direction(lane), hairBatch,
                            (curtainHits >> lane & 1u) != 0, tCurtain, aCurtain, (shellHits >> lane & 1u) != 0, tShell, aShell);
                    }

                    continue;
                }

                for (uint todo = curtainLanes | shellLanes; todo != 0; todo &= todo - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(todo);
                    Vector3 dHead = pre.Direction(lane);
                    int idx = row + bx + lane;
                    float zLimit = _zbuf[idx];

                    // Curtain.
                    float tCurtain = 0f, aCurtain = 0f;
                    bool hasCurtain = (curtainLanes & (1u << lane)) != 0 && pre.CurtainHitAt(lane, dHead, zLimit, out tCurtain, out aCurtain);
                    if (hasCurtain && aCurtain > 0.5f)
                    {
                        zLimit = tCurtain;
                    }

                    // Shell.
                    bool hasShell = false;
                    float tShell = 0f, aShell = 0f;
                    if ((shellLanes & (1u << lane)) != 0)
                    {
                        hasShell = ShellHit(dHead, invR, o, cShell, zLimit, pre.ShellAlphaNear(lane), out tShell, out aShell);
                    }

                    if (hasCurtain || hasShell)
                    {
                        AddHairPixel(idx, flagRow + (bx - x0) + lane, dHead, hairBatch, hasCurtain, tCurtain, aCurtain, hasShell, tShell, aShell);
                    }
                }
            }

            hairBatch.Shade(_hairRgb);
        }
    }

    /// <summary>Bit k set where <paramref name="x"/> + k lies in [<paramref name="lo"/>, <paramref name="hi"/>] (k = 0..7).</summary>
    private static uint LaneRange(int x, int lo, int hi)
    {
        int first = Math.Max(0, lo - x), last = Math.Min(7, hi - x);
        return last < first ? 0u : ((2u << last) - 1u) & ~((1u << first) - 1u);
    }

    /// <summary>
    /// One hair pixel: the premultiplied colour is curtain * aCurtain * (1 - aShell) + shell * aShell, shaded per row
    /// by the batch (the curtain is not shaded under an opaque shell), and the transmittance and the hair class.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddHairPixel(int idx, int flag, Vector3 dHead, HairShadeBatch hairBatch, bool hasCurtain, float tCurtain, float aCurtain, bool hasShell, float tShell, float aShell)
    {
        float trans = 1f;
        _hairRgb[3 * idx] = 0f;
        _hairRgb[3 * idx + 1] = 0f;
        _hairRgb[3 * idx + 2] = 0f;
        if (hasCurtain && !(hasShell && aShell >= 1f))
        {
            hairBatch.Add(idx, true, _camHead + tCurtain * dHead, dHead, hasShell ? aCurtain * (1f - aShell) : aCurtain);
            trans = 1f - aCurtain;
        }

        if (hasShell)
        {
            hairBatch.Add(idx, false, _camHead + tShell * dHead, dHead, aShell);
            trans *= 1f - aShell;
        }

        _hairT[idx] = trans;
        _hairFlag[flag] = (hasCurtain && aCurtain > 0.5f) || (hasShell && aShell > 0.5f);
    }

    /// <summary>The hair shell's visible hit along head-frame ray <paramref name="dHead"/>: near side, or the far side showing round the head.</summary>
    /// <remarks><paramref name="alphaNear"/>: the near side's <see cref="HairAlpha"/> if already known (from <see cref="HairPrefilter"/>), else NaN.</remarks>
    private bool ShellHit(Vector3 dHead, Vector3 invR, Vector3 o, float c, float zLimit, float alphaNear, out float t, out float alpha)
    {
        alpha = 0f;
        Vector3 d = dHead * invR;
        float a = Vector3.Dot(d, d), b = Vector3.Dot(o, d);
        float disc = b * b - a * c;
        if (disc < 0f)
        {
            t = 0f;
            return false;
        }

        float s = MathF.Sqrt(disc);
        t = (-b - s) / a;
        if (t >= zLimit)
        {
            return false;
        }

        alpha = float.IsNaN(alphaNear) ? HairAlpha(_camHead + t * dHead) : alphaNear;
        if (alpha <= 0.01f)
        {
            // No hair on the near side here: the far side of the shell may show around the head.
            t = (-b + s) / a;
            if (t >= zLimit)
            {
                return false;
            }

            alpha = HairAlpha(_camHead + t * dHead);
            if (alpha <= 0.01f)
            {
                return false;
            }
        }

        FaceModel m = _model;
        alpha *= SilhouetteFuzz(_camHead + t * dHead, dHead, m.HairCentre, m.HairRadii);
        return true;
    }

    /// <summary>Puts the hair layers over the shaded head (and marks hair pixels for the anti-aliasing).</summary>
    private void ComposeHair()
    {
        var (x0, y0, x1, y1) = _hairBox;
        int boxW = x1 - x0 + 1;
        bool vector = Avx2.IsSupported;
        ref float hairT = ref MemoryMarshal.GetArrayDataReference(_hairT);
        ref float colour = ref MemoryMarshal.GetArrayDataReference(_colour);
        ref float hairRgb = ref MemoryMarshal.GetArrayDataReference(_hairRgb);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                int idx = y * _w + x;
                if (vector && x + 8 <= x1 + 1)
                {
                    // 8 pixels at a time: none with hair is skipped, else colour * trans + hair for the 24 channels
                    // (trans spread over R, G and B by permutes), kept where trans < 1.
                    Vector256<float> t8 = Vector256.LoadUnsafe(ref hairT, (nuint)idx);
                    Vector256<float> hair = Vector256.LessThan(t8, Vector256<float>.One);
                    if (hair == Vector256<float>.Zero)
                    {
                        x += 7;
                        continue;
                    }

                    for (int part = 0; part < 3; part++)
                    {
                        Vector256<int> spread = part == 0 ? Vector256.Create(0, 0, 0, 1, 1, 1, 2, 2)
                            : part == 1 ? Vector256.Create(2, 3, 3, 3, 4, 4, 4, 5) : Vector256.Create(5, 5, 6, 6, 6, 7, 7, 7);
                        Vector256<float> t = Avx2.PermuteVar8x32(t8, spread);
                        Vector256<float> m = Avx2.PermuteVar8x32(hair, spread);
                        nuint q = (nuint)((3 * idx) + (8 * part));
                        Vector256<float> c = Vector256.LoadUnsafe(ref colour, q);
                        Vector256.ConditionalSelect(m, (c * t) + Vector256.LoadUnsafe(ref hairRgb, q), c).StoreUnsafe(ref colour, q);
                    }

                    for (uint bits = hair.ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                    {
                        int lane = BitOperations.TrailingZeroCount(bits);
                        if (_hairFlag[(y - y0) * boxW + (x + lane - x0)])
                        {
                            _class[idx + lane] = ClassHair;
                        }
                    }

                    x += 7;
                    continue;
                }

                float trans = _hairT[idx];
                if (trans >= 1f)
                {
                    continue;
                }

                int k = 3 * idx;
                _colour[k] = _colour[k] * trans + _hairRgb[k];
                _colour[k + 1] = _colour[k + 1] * trans + _hairRgb[k + 1];
                _colour[k + 2] = _colour[k + 2] * trans + _hairRgb[k + 2];
                if (_hairFlag[(y - y0) * boxW + (x - x0)])
                {
                    _class[idx] = ClassHair;
                }
            }
        }
    }

    /// <summary>atan2 to about 0.002 rad: plenty for texture coordinates, several times faster.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FastAtan2(float y, float x)
    {
        float ax = MathF.Abs(x), ay = MathF.Abs(y);
        float mx = MathF.Max(ax, ay);
        if (mx == 0f)
        {
            return 0f;
        }

        float a = MathF.Min(ax, ay) / mx;
        float s = a * a;
        float r = ((-0.0464964749f * s + 0.15931422f) * s - 0.327622764f) * s * a + a;
        if (ay > ax)
        {
            r = 1.57079637f - r;
        }

        if (x < 0f)
        {
            r = 3.14159274f - r;
        }

        return y < 0f ? -r : r;
    }

    /// <summary>Thins the hair where the view grazes the shell, so the outline is wispy rather than a hard shell edge.</summary>
    private float SilhouetteFuzz(Vector3 p, Vector3 d, Vector3 centre, Vector3 radii)
    {
        Vector3 n = Vector3.Normalize((p - centre) / (radii * radii));
        float grazing = 1f - MathF.Abs(Vector3.Dot(n, Vector3.Normalize(d)));
        if (grazing <= 0.8f)
        {
            return 1f;
        }

        float az = FastAtan2(p.X - centre.X, p.Z - centre.Z);
        float tufts = 0.5f + 0.5f * ValueNoise.Sample(az * 40f + p.Y * 3f, p.Y * 2f + 11f);
        return 1f - SmoothstepFast(0.80f, 0.995f, grazing) * (0.35f + 0.65f * tufts);
    }

    /// <summary>
    /// The curtain's two roots along one ray (see <see cref="SolveCurtain"/>): the front root, the
    /// back root before and after the flare refinement, and whether a refinement found no root.
    /// </summary>
    private struct CurtainRoots
    {
        public float T0, T1Base, T1;
        public bool Fail0, Fail1;
    }

    /// <summary>
    /// The curtain flares out as it falls: solve with the radius at the previous hit height (the
    /// flare is gentle, two refinements are plenty). A wider curtain only moves the front root
    /// nearer and the back root farther, so the base-radius roots allow early rejects. The
    /// quadratic is scaled by rx^2 rz^2 (same roots, one division); the base-radius quadratic is
    /// shared by both roots. The front root is refined only where it lies beside or behind the face
    /// (z at most 1.3): in front of the face the curtain is cut away anyway. False if the ray misses
    /// the base-radius curtain. <see cref="HairPrefilter"/> does the same arithmetic 8 rays at a time.
    /// </summary>
    private bool SolveCurtain(Vector3 d, out CurtainRoots roots)
    {
        FaceModel m = _model;
        Vector3 c = m.HairCentre;
        Vector3 o = _camHead;
        roots = default;
        float ox = o.X - c.X, oz = o.Z - c.Z;
        float dxx = d.X * d.X, dzz = d.Z * d.Z, oxd = ox * d.X, ozd = oz * d.Z, oxx = ox * ox, ozz = oz * oz;
        float rx0 = m.HairRadii.X + 0.15f, rz0 = m.HairRadii.Z + 0.1f;
        float rx2 = rx0 * rx0, rz2 = rz0 * rz0;
        float a0 = dxx * rz2 + dzz * rx2;
        float b0 = oxd * rz2 + ozd * rx2;
        float c0 = oxx * rz2 + ozz * rx2 - rx2 * rz2;
        float disc0 = b0 * b0 - a0 * c0;
        if (disc0 < 0f)
        {
            return false;
        }

        float sq0 = MathF.Sqrt(disc0);
        for (int root = 0; root < 2; root++)
        {
            float t = root == 0 ? (-b0 - sq0) / a0 : (-b0 + sq0) / a0;
            bool fail = false;
            if (root == 1)
            {
                roots.T1Base = t;
            }

            if (root == 1 || o.Z + t * d.Z <= 1.3f)
            {
                for (int it = 1; it < 3 && !fail; it++)
                {
                    float flare = MathF.Max(0f, c.Y - 1f - (o.Y + t * d.Y));
                    float rx = rx0 + 0.10f * flare, rz = rz0 + 0.05f * flare;
                    rx2 = rx * rx;
                    rz2 = rz * rz;
                    float a = dxx * rz2 + dzz * rx2;
                    float b = oxd * rz2 + ozd * rx2;
                    float cc = oxx * rz2 + ozz * rx2 - rx2 * rz2;
                    float disc = b * b - a * cc;
                    if (disc < 0f)
                    {
                        fail = true;
                    }
                    else
                    {
                        t = root == 0 ? (-b - MathF.Sqrt(disc)) / a : (-b + MathF.Sqrt(disc)) / a;
                    }
                }
            }

            if (root == 0)
            {
                roots.T0 = t;
                roots.Fail0 = fail;
            }
            else
            {
                roots.T1 = t;
                roots.Fail1 = fail;
            }
        }

        return true;
    }


    private bool CurtainHit(Vector3 d, float zLimit, in CurtainRoots roots, out float tHit, out float alpha)
    {
        FaceModel m = _model;
        Vector3 c = m.HairCentre;
        Vector3 o = _camHead;
        tHit = 0f;
        alpha = 0f;
        for (int root = 0; root < 2; root++)
        {
            float t;
            if (root == 0)
            {
                if (roots.Fail0)
                {
                    return false;
                }

                t = roots.T0;
            }
            else
            {
                if (roots.T1Base >= zLimit || roots.Fail1)
                {
                    return false; // the back of the curtain is hidden behind the head or neck
                }

                t = roots.T1;
            }

            if (t <= 0f || t >= zLimit)
            {
                return false;
            }

            Vector3 p = o + t * d;
            if (p.Y > c.Y + _look.CurtainTopCm || p.Z > 1.3f)
            {
                continue;
            }

            float az = FastAtan2(p.X, p.Z - c.Z);

            // Open in front of the face: the cut plane leans back as the hair falls.
            float cut = 0.3f - 0.1f * MathF.Max(0f, 2f - p.Y) + 0.45f * ValueNoise.Sample(p.Y * 1.1f, az * 3f + 40f);
            if (p.Z > cut + 0.5f)
            {
                continue;
            }

            float ragged = _look.HairEdgeWaveCm * ValueNoise.Sample(az * _look.HairEdgeWaveFrequency + _look.NoiseOffset.X, 3.3f) + 0.15f * ValueNoise.Sample(az * 23f, 7.7f);
            float end = _look.HairBottomY + ragged;
            if (p.Y < end - 0.6f)
            {
                continue;
            }

            float strands = 0.5f + 0.5f * ValueNoise.Sample(az * 150f, p.Y * 0.3f);
            alpha = SmoothstepFast(end - 0.6f, end + 0.8f, p.Y) * SmoothstepFast(cut + 0.5f, cut - 0.3f, p.Z)
                * (_look.CurtainTopCm > 1f ? SmoothstepFast(c.Y + _look.CurtainTopCm, c.Y + 1f, p.Y) : 1f);
            alpha = SaturateFast(alpha * (1.3f + 0.4f * strands) - 0.3f * (1f - alpha) * strands);
            if (alpha <= 0.01f)
            {
                continue;
            }

            tHit = t;
            return true;
        }

        return false;
    }

    /// <summary>Hair coverage (0..1) of the hair shell at head-frame point <paramref name="p"/>.</summary>
    private float HairAlpha(Vector3 p)
    {
        AvatarLook look = _look;
        Vector3 c = _model.HairCentre;
        float front = look.HairlineY - 0.07f * p.X * p.X * (1f + 0.4f * look.Balding);
        float side = look.Sex == Abstractions.AvatarSex.Male || look.HairBottomY > 2.5f ? 3.6f : 1.0f;
        if (p.Z > c.Z && p.Y < MathF.Min(front, side) - 0.45f)
        {
            return 0f; // front half, below any hairline: the face
        }

        float az = FastAtan2(p.X, p.Z - c.Z); // 0 front, +-pi/2 sides, +-pi back
        float aaz = MathF.Abs(az);
        float back = -3.5f;
        float line = aaz < 1.45f
            ? Lerp(front, side, SmoothstepFast(0.35f, 1.45f, aaz))
            : Lerp(side, back, SmoothstepFast(1.45f, 2.4f, aaz));
        if (p.Y < line - 0.41f)
        {
            return 0f; // below the hairline even where its noise (at most 0.25) lowers it: alpha is 0
        }

        line += 0.25f * ValueNoise.Sample(az * 9f + look.NoiseOffset.Y, 1.7f);
        float strands = ValueNoise.Sample(az * 160f, p.Y * 0.5f);
        float alpha = SmoothstepFast(line - 0.15f, line + 0.7f, p.Y);
        alpha = SaturateFast(alpha * (1.15f + 0.35f * strands) - 0.25f * (1f - alpha) * (0.5f + 0.5f * strands));
        if (look.Balding > 0f)
        {
            // Thinning crown and receding temples.
            float crown = Gauss(p.X, p.Z - c.Z + 1.5f, 4.5f, 5.5f) * SmoothstepFast(c.Y + 5f, c.Y + 8f, p.Y);
            alpha *= 1f - SmoothstepFast(0.3f, 0.7f, crown * look.Balding);
        }

        return alpha;
    }

    // ---------------------------------------------------------------- pass 3: holes

    private void MarkHoles()
    {
        FillHole(_eyePolyR, IdEyeR, _model.RightEye);
        FillHole(_eyePolyL, IdEyeL, _model.LeftEye);
    }

    private void FillHole(Vector2[] poly, int id, EyeballModel eye)
    {
        float minX = poly.Min(p => p.X), maxX = poly.Max(p => p.X), minY = poly.Min(p => p.Y), maxY = poly.Max(p => p.Y);
        int x0 = Math.Max(0, (int)minX), x1 = Math.Min(_w - 1, (int)maxX + 1);
        int y0 = Math.Max(0, (int)minY), y1 = Math.Min(_h - 1, (int)maxY + 1);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                int o = y * _w + x;
                if ((uint)_id[o] < CanonicalFaceMesh.TriangleCount && !SkinBehindEyeball(x + 0.5f, y + 0.5f, _zbuf[o], eye))
                {
                    continue; // skin in front (a lid, or the nose when the head is turned)
                }

                if (InsidePolygon(poly, x + 0.5f, y + 0.5f))
                {
                    _id[o] = id;
                }
            }
        }
    }

    /// <summary>
    /// True when the skin drawn at the pixel lies behind the eyeball: on a head turned past about 30°, the ray through the far
    /// eye's opening meets the eyeball first and the socket's skin behind it, which must not cover the eye. The ray parameter
    /// is the camera depth the depth buffer holds.
    /// </summary>
    private bool SkinBehindEyeball(float px, float py, float skinDepth, EyeballModel eye) =>
        _posed && IntersectEllipsoid(_camHead, RayDirHead(px, py), eye.Centre, new Vector3(eye.Radius), out float t0, out _) && t0 < skinDepth;

    // ---------------------------------------------------------------- pass 5: shading

    private void Shade()
    {
        float invH = 1f / _h;
        Vector3 bgTop = _look.BackgroundTop, bgBottom = _look.BackgroundBottom;
        var vignette = new float[_w];
        for (int x = 0; x < _w; x++)
        {
            float fx = (x + 0.5f) / _w - 0.5f;
            vignette[x] = 1f - 0.25f * fx * fx;
        }

        var batch = new SkinLightBatch(_w);
        // With AVX2 the face's plain skin (no painted feature) gets its pores 8 pixels at a time (PaintPlainSkin).
        SkinLightBatch? meshBatch = Avx2.IsSupported ? new SkinLightBatch(_w) : null;
        float poreAmount = 0.035f - 0.018f * _look.Youth + _look.Pores; // Pores: 0 in the kit
        float[] vignette3 = new float[3 * _w]; // the vignette repeated for R, G and B
        for (int x = 0; x < _w; x++)
        {
            vignette3[3 * x] = vignette3[3 * x + 1] = vignette3[3 * x + 2] = vignette[x];
        }

        for (int y = 0; y < _h; y++)
        {
            Vector3 rowBg = Lerp(bgTop, bgBottom, (y + 0.5f) * invH);
            for (int x = 0; x < _w; x++)
            {
                int o = y * _w + x;
                if (meshBatch is not null && (x & 7) == 0 && x + 8 <= _w && ShadeBlock8(o, x, meshBatch, batch, rowBg, vignette3))
                {
                    x += 7;
                    continue; // 8 background pixels, or 8 face pixels, at once
                }

                int id = _id[o];
                Vector3 col;
                if (_hairT[o] == 0f)
                {
                    col = Vector3.Zero; // hidden under opaque hair
                }
                else if (id == IdBackground)
                {
                    col = rowBg * vignette[x];
                }
                else if ((uint)id < CanonicalFaceMesh.TriangleCount)
                {
                    if (meshBatch is null)
                    {
                        batch.Add(o, ShadeMesh(o, id));
                    }
                    else
                    {
                        AddMeshPixel(o, id, meshBatch);
                    }

                    _class[o] = ClassSkin;
                    continue;
                }
                else if (id >= IdEyeR)
                {
                    col = ShadeEye(x + 0.5f, y + 0.5f, id == IdEyeR ? _model.RightEye : _model.LeftEye, id == IdEyeR);
                }
                else
                {
                    batch.Add(o, ShadeShape(id, x + 0.5f, y + 0.5f, _zbuf[o]));
                    _class[o] = ClassOf(id);
                    continue;
                }

                _colour[3 * o] = col.X;
                _colour[3 * o + 1] = col.Y;
                _colour[3 * o + 2] = col.Z;
                _class[o] = ClassOf(id);
            }

            if (meshBatch is not null)
            {
                meshBatch.PaintPlainSkin(_look.SkinAlbedo, poreAmount, _look.NoiseOffset, _look.Stubble, _look.BeardColour);
                meshBatch.Light(_colour);
            }

            batch.Light(_colour);
        }
    }

    /// <summary>
    /// The shading pass for the 8 pixels <paramref name="o"/> .. + 7 (from column <paramref name="x"/>) of one row at
    /// once, where they are all background or all on the face (one or several triangles) and none is under opaque hair:
    /// the background colour, or <see cref="AddMeshPixel"/>'s interpolation with 256-bit vectors (once per triangle) (plain skin then gets its albedo in
    /// <see cref="SkinLightBatch.PaintPlainSkin"/>, the other pixels from <see cref="SkinAlbedo"/>). The same
    /// arithmetic as the pixel-by-pixel path. False (nothing done) for any other block.
    /// </summary>
    private bool ShadeBlock8(int o, int x, SkinLightBatch batch, SkinLightBatch shapes, Vector3 rowBg, float[] vignette3)
    {
        int tri = _id[o];
        Vector256<int> ids = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_id), (nuint)o);
        if (Vector256.EqualsAny(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_hairT), (nuint)o), Vector256<float>.Zero))
        {
            return false;
        }

        if (ids != Vector256.Create(tri))
        {
            // Several face triangles: interpolate with each one's vertices and keep its own lanes.
            if (!Vector256.LessThanAll(ids.AsUInt32(), Vector256.Create((uint)CanonicalFaceMesh.TriangleCount)))
            {
                return false;
            }
        }
        else if (tri == IdBackground)
        {
            // rowBg * vignette, written as 24 interleaved floats.
            ref float v3 = ref MemoryMarshal.GetArrayDataReference(vignette3);
            ref float dst = ref MemoryMarshal.GetArrayDataReference(_colour);
            Vector256<float> p0 = Vector256.Create(rowBg.X, rowBg.Y, rowBg.Z, rowBg.X, rowBg.Y, rowBg.Z, rowBg.X, rowBg.Y);
            Vector256<float> p1 = Vector256.Create(rowBg.Z, rowBg.X, rowBg.Y, rowBg.Z, rowBg.X, rowBg.Y, rowBg.Z, rowBg.X);
            Vector256<float> p2 = Vector256.Create(rowBg.Y, rowBg.Z, rowBg.X, rowBg.Y, rowBg.Z, rowBg.X, rowBg.Y, rowBg.Z);
            (p0 * Vector256.LoadUnsafe(ref v3, (nuint)(3 * x))).StoreUnsafe(ref dst, (nuint)(3 * o));
            (p1 * Vector256.LoadUnsafe(ref v3, (nuint)((3 * x) + 8))).StoreUnsafe(ref dst, (nuint)((3 * o) + 8));
            (p2 * Vector256.LoadUnsafe(ref v3, (nuint)((3 * x) + 16))).StoreUnsafe(ref dst, (nuint)((3 * o) + 16));
            Unsafe.WriteUnaligned(ref _class[o], 0x0101010101010101UL * ClassBackground);
            return true;
        }

        if ((uint)tri >= CanonicalFaceMesh.TriangleCount)
        {
            if (_posed || tri is not (IdSkull or IdNeck or IdTorso) || ids != Vector256.Create(tri))
            {
                return false;
            }

            ShadeShape8(o, x, tri, shapes);
            return true;
        }

        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        Vector256<float> b1 = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_b1), (nuint)o);
        Vector256<float> b2 = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_b2), (nuint)o);
        Vector256<float> b0 = Vector256<float>.One - b1 - b2;
        Vector256<float> nx = default, ny = default, nz = default, ao = default, px = default, py = default, spec = default;
        Vector256<float> tr = default, tg = default, tb = default;
        Vector256<int> todo = Vector256<int>.AllBitsSet;
        while (true)
        {
            int i0 = idx[3 * tri], i1 = idx[3 * tri + 1], i2 = idx[3 * tri + 2];
            Vector4 na0 = _vertexNormalAo[i0], na1 = _vertexNormalAo[i1], na2 = _vertexNormalAo[i2];
            Vector4 ps0 = _vertexPosSpec[i0], ps1 = _vertexPosSpec[i1], ps2 = _vertexPosSpec[i2];
            Vector4 ti0 = _vertexTint4[i0], ti1 = _vertexTint4[i1], ti2 = _vertexTint4[i2];
            Vector256<int> mine = Vector256.Equals(ids, Vector256.Create(tri));
            Vector256<float> m = mine.AsSingle();
            nx = Vector256.ConditionalSelect(m, (b0 * na0.X) + (b1 * na1.X) + (b2 * na2.X), nx);
            ny = Vector256.ConditionalSelect(m, (b0 * na0.Y) + (b1 * na1.Y) + (b2 * na2.Y), ny);
            nz = Vector256.ConditionalSelect(m, (b0 * na0.Z) + (b1 * na1.Z) + (b2 * na2.Z), nz);
            ao = Vector256.ConditionalSelect(m, (b0 * na0.W) + (b1 * na1.W) + (b2 * na2.W), ao);
            px = Vector256.ConditionalSelect(m, (b0 * ps0.X) + (b1 * ps1.X) + (b2 * ps2.X), px);
            py = Vector256.ConditionalSelect(m, (b0 * ps0.Y) + (b1 * ps1.Y) + (b2 * ps2.Y), py);
            spec = Vector256.ConditionalSelect(m, (b0 * ps0.W) + (b1 * ps1.W) + (b2 * ps2.W), spec);
            tr = Vector256.ConditionalSelect(m, (b0 * ti0.X) + (b1 * ti1.X) + (b2 * ti2.X), tr);
            tg = Vector256.ConditionalSelect(m, (b0 * ti0.Y) + (b1 * ti1.Y) + (b2 * ti2.Y), tg);
            tb = Vector256.ConditionalSelect(m, (b0 * ti0.Z) + (b1 * ti1.Z) + (b2 * ti2.Z), tb);
            todo &= ~mine;
            uint left = todo.AsSingle().ExtractMostSignificantBits();
            if (left == 0)
            {
                break;
            }

            tri = ids.GetElement(BitOperations.TrailingZeroCount(left));
        }

        Vector256<float> len = Vector256.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        nx /= len;
        ny /= len;
        nz /= len;
        (uint painted, uint stubble) = NeedsPainting8(px, py);
        int first = batch.AddPlain8(o, nx, ny, nz, ao, spec, tr, tg, tb, px, py, painted, stubble, SkinWrap);
        for (; painted != 0; painted &= painted - 1)
        {
            // The lane's inputs taken from the registers (reading them back from the batch just stored would stall).
            int k = BitOperations.TrailingZeroCount(painted);
            Vector256<int> lane = Vector256.Create(k);
            var tint = new Vector3(Avx2.PermuteVar8x32(tr, lane).ToScalar(), Avx2.PermuteVar8x32(tg, lane).ToScalar(), Avx2.PermuteVar8x32(tb, lane).ToScalar());
            float a = Avx2.PermuteVar8x32(ao, lane).ToScalar(), sp = Avx2.PermuteVar8x32(spec, lane).ToScalar();
            var pc = new Vector3(Avx2.PermuteVar8x32(px, lane).ToScalar(), Avx2.PermuteVar8x32(py, lane).ToScalar(), 0f);
            Vector3 albedo = SkinAlbedo(pc, tint, ref sp, out float gloss, ref a);
            batch.SetAlbedo(first + k, albedo, a, sp, gloss);
        }

        Unsafe.WriteUnaligned(ref _class[o], 0x0101010101010101UL * ClassSkin);
        return true;
    }

    /// <summary>
    /// <see cref="ShadeShape"/> for 8 pixels of one row on the skull, the neck or the torso of an un-posed head (the
    /// head frame is the world frame), with 256-bit vectors and the same arithmetic, into <paramref name="batch"/>.
    /// </summary>
    private void ShadeShape8(int o, int x, int id, SkinLightBatch batch)
    {
        FaceModel m = _model;
        AvatarLook look = _look;
        float py = (o / _w) + 0.5f;
        Vector256<float> px = Vector256.Create(x + 0.5f) + Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector256<float> t = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_zbuf), (nuint)o);
        Vector256<float> dx = Vector256.Create(_rayA.X) + (px * _rayB.X) + Vector256.Create(py * _rayC.X);
        Vector256<float> dy = Vector256.Create(_rayA.Y) + (px * _rayB.Y) + Vector256.Create(py * _rayC.Y);
        Vector256<float> dz = Vector256.Create(_rayA.Z) + (px * _rayB.Z) + Vector256.Create(py * _rayC.Z);
        Vector256<float> qx = Vector256.Create(_camHead.X) + (t * dx), qy = Vector256.Create(_camHead.Y) + (t * dy), qz = Vector256.Create(_camHead.Z) + (t * dz);
        Vector256<float> nx, ny, nz, ar, ag, ab, ao;
        float spec, gloss;
        Vector3 wrap = SkinWrap;
        if (id == IdTorso)
        {
            Vector3 c = m.TorsoCentre, r2 = m.TorsoRadii * m.TorsoRadii;
            nx = (qx - Vector256.Create(c.X)) / r2.X;
            ny = (qy - Vector256.Create(c.Y)) / r2.Y;
            nz = (qz - Vector256.Create(c.Z)) / r2.Z;
            Vector256<float> weave = Vector256<float>.One + (Vector256.Create(0.05f) * ValueNoise.Sample8(qx * 8f, qy * 8f));
            Vector256<float> collar = HairShadeBatch.Smoothstep(m.NeckRadii.X + 1.5f, m.NeckRadii.X + 0.4f, Vector256.Abs(qx)) * HairShadeBatch.Smoothstep(-16f, -13.5f, qy);
            ar = look.Clothing.X * weave;
            ag = look.Clothing.Y * weave;
            ab = look.Clothing.Z * weave;
            ao = Vector256<float>.One - (Vector256.Create(0.4f) * collar);
            spec = 0.02f;
            gloss = 8f;
            wrap = new Vector3(0.2f);
        }
        else if (id == IdNeck)
        {
            Vector3 c = m.NeckCentre;
            nx = (qx - Vector256.Create(c.X)) / (m.NeckRadii.X * m.NeckRadii.X);
            ny = Vector256<float>.Zero;
            nz = (qz - Vector256.Create(c.Z)) / (m.NeckRadii.Y * m.NeckRadii.Y);
            ao = Vector256<float>.One - (Vector256.Create(0.72f) * HairShadeBatch.Smoothstep(-14.5f, -8.8f, qy));
            Vector256<float> f = Fractal2((qx + Vector256.Create(look.NoiseOffset.X)) * 1.6f, qy * 1.6f);
            Vector256<float> shade = Vector256<float>.One + (Vector256.Create(0.05f) * f);
            Vector3 skin = look.SkinAlbedo * 0.93f;
            ar = skin.X * shade;
            ag = skin.Y * shade;
            ab = skin.Z * shade;
            spec = 0.03f;
            gloss = 15f;
        }
        else
        {
            Vector3 c = m.SkullCentre, r2 = m.SkullRadii * m.SkullRadii;
            float lowerY2 = m.SkullLowerRadiusY * m.SkullLowerRadiusY;
            Vector256<float> upper = Vector256.GreaterThanOrEqual(qy, Vector256.Create(c.Y));
            nx = (qx - Vector256.Create(c.X)) / r2.X;
            ny = (qy - Vector256.Create(c.Y)) / Vector256.ConditionalSelect(upper, Vector256.Create(r2.Y), Vector256.Create(lowerY2));
            nz = (qz - Vector256.Create(c.Z)) / r2.Z;
            ao = Vector256<float>.One;
            Vector256<float> f = Fractal2((qx + Vector256.Create(look.NoiseOffset.X)) * 1.6f, (qy + Vector256.Create(look.NoiseOffset.Y)) * 1.6f);
            Vector256<float> shade = Vector256<float>.One + (Vector256.Create(0.07f) * f);
            ar = look.SkinAlbedo.X * shade;
            ag = look.SkinAlbedo.Y * shade;
            ab = look.SkinAlbedo.Z * shade;
            spec = 0.05f;
            gloss = 20f;
        }

        Vector256<float> len = Vector256.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        batch.Add8(o, ar, ag, ab, nx / len, ny / len, nz / len, ao, spec, gloss, wrap);
        Unsafe.WriteUnaligned(ref _class[o], 0x0101010101010101UL * ClassOf(id));
    }

    /// <summary><see cref="ValueNoise.Fractal"/> with 2 octaves at 8 points (the same arithmetic).</summary>
    private static Vector256<float> Fractal2(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> sum = Vector256.Create(0.5f) * ValueNoise.Sample8(x, y);
        x = (x * 2.03f) + Vector256.Create(17.1f);
        y = (y * 2.03f) + Vector256.Create(5.3f);
        sum += Vector256.Create(0.25f) * ValueNoise.Sample8(x, y);
        return sum / 0.75f;
    }

    /// <summary>
    /// <see cref="NeedsPainting"/> at 8 canonical points: bit k of Painted set where point k needs <see cref="SkinAlbedo"/>
    /// for anything but stubble, of Stubble where it needs only the stubble (which <see cref="SkinLightBatch.PaintPlainSkin"/>
    /// adds 8 pixels at a time).
    /// </summary>
    private (uint Painted, uint Stubble) NeedsPainting8(Vector256<float> x, Vector256<float> y)
    {
        AvatarLook look = _look;
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> needs = InBox(_wrinkleBox, x, y)
            & Vector256.GreaterThan(ax, Vector256.Create(1.3f)) & Vector256.LessThan(ax, Vector256.Create(3.3f))
            & Vector256.LessThan(y, Vector256.Create(-1.0f)) & Vector256.GreaterThan(y, Vector256.Create(-5f));
        if (look.Ageing > 0f)
        {
            Vector256<float> cx = ax - Vector256.Create(4.75f), cy = y - Vector256.Create(2.6f), r2 = (cx * cx) + (cy * cy);
            Vector256<float> forehead = Vector256.GreaterThan(y, Vector256.Create(5.7f)) & Vector256.LessThan(y, Vector256.Create(8.6f)) & Vector256.LessThan(ax, Vector256.Create(5.5f));
            Vector256<float> crow = Vector256.GreaterThan(r2, Vector256.Create(0.35f * 0.35f)) & Vector256.LessThan(r2, Vector256.Create(1.2f * 1.2f)) & Vector256.GreaterThan(cx, Vector256.Create(-0.2f));
            Vector256<float> u = ax - Vector256.Create(3.2f);
            Vector256<float> fold = Vector256.GreaterThan(ax, Vector256.Create(2.2f)) & Vector256.LessThan(ax, Vector256.Create(4.3f))
                & Vector256.LessThan(Vector256.Abs(y - (Vector256.Create(2.0f) - (Vector256.Create(0.25f) * u * u))), Vector256.Create(0.08f));
            Vector256<float> marionette = Vector256.GreaterThan(ax, Vector256.Create(2.4f)) & Vector256.LessThan(ax, Vector256.Create(3.3f))
                & Vector256.LessThan(y, Vector256.Create(-4.6f)) & Vector256.GreaterThan(y, Vector256.Create(-6.9f));
            needs |= InBox(_wrinkleBox, x, y) & (forehead | crow | fold | marionette);
        }

        if (look.Glabella > 0f)
        {
            needs |= Vector256.LessThan(ax, Vector256.Create(0.9f)) & Vector256.GreaterThan(y, Vector256.Create(3.4f)) & Vector256.LessThan(y, Vector256.Create(5.2f));
        }

        needs |= Vector256.LessThan(ax, Vector256.Create(1.3f)) & Vector256.LessThan(y, Vector256.Create(-1.2f)) & Vector256.GreaterThan(y, Vector256.Create(-2.7f));
        Vector256<float> stubble = Vector256<float>.Zero;
        if (look.Stubble > 0f)
        {
            stubble = Vector256.LessThan(y, Vector256.Create(1.5f)) & Vector256.LessThan(ax, Vector256.Create(7.6f))
                & Vector256.LessThan(y, Vector256.Create(-1.5f) + (Vector256.Create(0.55f) * Vector256.Max(Vector256<float>.Zero, ax - Vector256.Create(2.4f))));
        }

        Vector256<float> right = Vector256.LessThan(x, Vector256<float>.Zero);
        needs |= InBox(_lipBox, x, y)
            | Vector256.ConditionalSelect(right, InBox(_browBoxR, x, y), InBox(_browBoxL, x, y))
            | Vector256.ConditionalSelect(right, InBox(_lidBoxR, x, y), InBox(_lidBoxL, x, y));
        return (needs.ExtractMostSignificantBits(), (stubble & ~needs).ExtractMostSignificantBits());
    }

    private static Vector256<float> InBox(Box b, Vector256<float> x, Vector256<float> y) =>
        Vector256.GreaterThanOrEqual(x, Vector256.Create(b.MinX)) & Vector256.LessThanOrEqual(x, Vector256.Create(b.MaxX))
        & Vector256.GreaterThanOrEqual(y, Vector256.Create(b.MinY)) & Vector256.LessThanOrEqual(y, Vector256.Create(b.MaxY));

    /// <summary>
    /// <see cref="ShadeMesh"/> into <paramref name="batch"/>, except that a pixel with no painted feature (wrinkle,
    /// nostril, stubble, lips, brow or lid: see <see cref="NeedsPainting"/>) is added as plain skin, whose albedo
    /// (<see cref="SkinAlbedo"/> with only the pores) the batch computes 8 pixels at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddMeshPixel(int o, int tri, SkinLightBatch batch)
    {
        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        int i0 = idx[3 * tri], i1 = idx[3 * tri + 1], i2 = idx[3 * tri + 2];
        float b1 = _b1[o], b2 = _b2[o], b0 = 1f - b1 - b2;
        Vector4 na = b0 * _vertexNormalAo[i0] + b1 * _vertexNormalAo[i1] + b2 * _vertexNormalAo[i2];
        Vector4 ps = b0 * _vertexPosSpec[i0] + b1 * _vertexPosSpec[i1] + b2 * _vertexPosSpec[i2];
        Vector4 ti = b0 * _vertexTint4[i0] + b1 * _vertexTint4[i1] + b2 * _vertexTint4[i2];
        Vector3 n = Vector3.Normalize(new Vector3(na.X, na.Y, na.Z));
        float ao = na.W;
        Vector3 tint = new(ti.X, ti.Y, ti.Z);
        float spec = ps.W;
        if (NeedsPainting(ps.X, ps.Y))
        {
            Vector3 albedo = SkinAlbedo(new Vector3(ps.X, ps.Y, ps.Z), tint, ref spec, out float gloss, ref ao);
            batch.Add(o, new SkinSample(albedo, n, ao, spec, gloss, SkinWrap));
        }
        else
        {
            batch.AddPlain(o, n, ao, spec, tint, ps.X, ps.Y, SkinWrap);
        }
    }

    /// <summary>
    /// Whether <see cref="SkinAlbedo"/> paints anything but the pores at canonical (x, y): the same region tests as
    /// its features (a wrinkle or fold whose region test passes may still add nothing; that is only slower). Where
    /// this is false, SkinAlbedo's result is SkinAlbedo x (1 + pores) x tint with the default specular power.
    /// </summary>
    private bool NeedsPainting(float x, float y)
    {
        AvatarLook look = _look;
        float ax = MathF.Abs(x);
        var p2 = new Vector2(x, y);
        if (_wrinkleBox.Contains(p2))
        {
            if (ax > 1.3f && ax < 3.3f && y < -1.0f && y > -5f)
            {
                return true; // nasolabial fold
            }

            if (look.Ageing > 0f)
            {
                float cx = ax - 4.75f, cy = y - 2.6f, r2 = (cx * cx) + (cy * cy);
                if ((y > 5.7f && y < 8.6f && ax < 5.5f) // forehead lines
                    || (r2 > 0.35f * 0.35f && r2 < 1.2f * 1.2f && cx > -0.2f) // crow's feet
                    || (ax > 2.2f && ax < 4.3f && MathF.Abs(y - (2.0f - 0.25f * (ax - 3.2f) * (ax - 3.2f))) < 0.08f) // lower-lid fold
                    || (ax > 2.4f && ax < 3.3f && y < -4.6f && y > -6.9f)) // marionette lines
                {
                    return true;
                }
            }

            if (look.Glabella > 0f && ax < 0.9f && y > 3.4f && y < 5.2f)
            {
                return true; // frown lines
            }
        }

        if (ax < 1.3f && y < -1.2f && y > -2.7f)
        {
            return true; // nostrils
        }

        if (look.Stubble > 0f && y < 1.5f && ax < 7.6f && y < -1.5f + 0.55f * MathF.Max(0f, ax - 2.4f))
        {
            return true; // stubble (beard > 0 needs y below the beard line + 0.3)
        }

        bool rightSide = x < 0f;
        return _lipBox.Contains(p2) || (rightSide ? _browBoxR : _browBoxL).Contains(p2) || (rightSide ? _lidBoxR : _lidBoxL).Contains(p2);
    }

    private SkinSample ShadeMesh(int o, int tri)
    {
        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        int i0 = idx[3 * tri], i1 = idx[3 * tri + 1], i2 = idx[3 * tri + 2];
        float b1 = _b1[o], b2 = _b2[o], b0 = 1f - b1 - b2;
        // The vertex attributes packed 4 floats at a time: the same sums, one vector operation each.
        Vector4 na = b0 * _vertexNormalAo[i0] + b1 * _vertexNormalAo[i1] + b2 * _vertexNormalAo[i2];
        Vector4 ps = b0 * _vertexPosSpec[i0] + b1 * _vertexPosSpec[i1] + b2 * _vertexPosSpec[i2];
        Vector4 ti = b0 * _vertexTint4[i0] + b1 * _vertexTint4[i1] + b2 * _vertexTint4[i2];
        Vector3 n = Vector3.Normalize(new Vector3(na.X, na.Y, na.Z));
        Vector3 pc = new(ps.X, ps.Y, ps.Z);
        float ao = na.W;
        Vector3 tint = new(ti.X, ti.Y, ti.Z);
        float spec = ps.W;
        Vector3 albedo = SkinAlbedo(pc, tint, ref spec, out float gloss, ref ao);
        return new SkinSample(albedo, n, ao, spec, gloss, SkinWrap);
    }

    /// <summary>
    /// Low-frequency skin terms (broad mottling, redness, darker orbits, oily T-zone) evaluated per
    /// vertex: they vary over centimetres, much slower than the mesh spacing, so interpolating them
    /// looks the same as evaluating them per pixel and costs far less.
    /// </summary>
    private void PrecomputeVertexSkin()
    {
        AvatarLook look = _look;
        Vector3[] cv = _model.Canonical;
        for (int i = 0; i < cv.Length; i++)
        {
            float x = cv[i].X, y = cv[i].Y, ax = MathF.Abs(x);
            float nx = x + look.NoiseOffset.X, ny = y + look.NoiseOffset.Y;
            float mottle = 0.65f * ValueNoise.Sample(nx * 1.6f, ny * 1.6f) + 0.35f * ValueNoise.Sample(nx * 4.1f + 7f, ny * 4.1f);
            float shade = 1f + (0.07f + look.Mottling) * mottle;
            if (look.Mottling > 0f)
            {
                // Age spots: a few darker blotches, larger than the mesh spacing.
                // Age spots on the forehead, temples and cheeks, not along the face's outline or the jaw, where they
                // mislead the landmark detector about the border of the face.
                float spots = Smoothstep(0.45f, 0.8f, ValueNoise.Sample(nx * 2.3f + 31f, ny * 2.3f - 17f));
                spots *= Smoothstep(6.8f, 5.2f, ax) * Smoothstep(-6.5f, -4.5f, y);
                shade *= 1f - 1.6f * look.Mottling * spots;
            }

            float red = (0.13f + 0.07f * look.Youth) * Gauss(ax - 3.9f, y + 0.6f, 1.5f, 1.2f) + 0.10f * Gauss(x, y + 0.9f, 0.9f, 1.0f) + 0.05f * Gauss(x, y + 8.2f, 1.5f, 0.9f);
            shade *= 1f - Gauss(ax - 3.1f, y - 2.3f, 1.5f, 0.85f) * _orbitDarkening;
            _vertexTint[i] = shade * new Vector3(1f + 0.5f * red, 1f - 0.35f * red, 1f - 0.3f * red);
            _vertexSpec[i] = 0.05f + 0.06f * Gauss(x, y - 6.5f, 3.5f, 1.5f) + 0.08f * Gauss(x, y + 0.3f, 0.8f, 2.5f);
        }
    }

    /// <summary>Skin albedo with painted features, at canonical point <paramref name="pc"/>.</summary>
    private Vector3 SkinAlbedo(Vector3 pc, Vector3 tint, ref float spec, out float gloss, ref float ao)
    {
        AvatarLook look = _look;
        float x = pc.X, y = pc.Y, ax = MathF.Abs(x);
        Vector2 p2 = new(x, y);
        Vector3 albedo = look.SkinAlbedo;
        float nx = x + look.NoiseOffset.X, ny = y + look.NoiseOffset.Y;

        // Fine pores on top of the per-vertex mottling, redness and orbit shading.
        float pores = ValueNoise.Sample(nx * 28f, ny * 28f);
        float shade = 1f + (0.035f - 0.018f * look.Youth + look.Pores) * pores; // children's skin is smoother, older skin coarser
        gloss = 22f;

        // Wrinkles and folds darken thin lines (and add a little cavity occlusion).
        if (_wrinkleBox.Contains(p2))
        {
            float wr = Wrinkles(x, y, ax);
            shade *= 1f - wr;
            ao *= 1f - 0.6f * wr;
        }

        // Nostrils.
        if (ax < 1.3f && y < -1.2f && y > -2.7f)
        {
            float nostril = Gauss(ax - 0.62f, y + 1.7f, 0.2f, 0.12f);
            shade *= 1f - 0.35f * nostril;
            ao *= 1f - 0.3f * nostril;
        }

        albedo *= shade * tint;

        // Stubble on adult men.
        if (look.Stubble > 0f && y < 1.5f)
        {
            float beardLine = -1.8f + 0.55f * MathF.Max(0f, ax - 2.4f);
            float beard = SmoothstepFast(beardLine + 0.3f, beardLine - 1.4f, y) * SmoothstepFast(7.6f, 6.0f, ax);
            beard *= 1f - SmoothstepFast(0.6f, 0.3f, MathF.Abs(y + 4.45f) / 1.05f + MathF.Max(0f, ax - 2.2f)); // not on the lips
            if (beard > 0f)
            {
                float dots = SaturateFast(0.5f + 0.8f * ValueNoise.Sample(nx * 55f, ny * 55f));
                float s = look.Stubble * beard * (0.05f + 0.12f * dots);
                albedo = Lerp(albedo, look.BeardColour * 0.5f + albedo * 0.35f, s);
            }
        }

        // Lips.
        if (_lipBox.Contains(p2))
        {
            float lip = _lips.Sample(p2, out float seamDistance);
            if (lip > 0f)
            {
                float lines = 0.06f * ValueNoise.Sample(nx * 30f, ny * 3f);
                Vector3 lipCol = look.LipColour * (1f + lines);
                albedo = Lerp(albedo, lipCol, lip);
                spec = Lerp(spec, 0.16f, lip);
                gloss = Lerp(gloss, 35f, lip);
                float seam = SmoothstepFast(0.075f, 0.0f, seamDistance);
                albedo *= 1f - 0.8f * seam;
                spec *= 1f - seam;
            }
        }

        // Brows.
        bool rightSide = x < 0f;
        if ((rightSide ? _browBoxR : _browBoxL).Contains(p2))
        {
            float brow = BrowAlpha(p2, rightSide ? _browR : _browL, rightSide ? _browHalfR : _browHalfL, nx, ny);
            if (brow > 0f)
            {
                albedo = Lerp(albedo, look.BrowColour, brow);
                spec *= 1f - 0.5f * brow;
            }
        }

        // Lids: dark lash line on the upper margin, a fainter one below, a soft crease above.
        if ((rightSide ? _lidBoxR : _lidBoxL).Contains(p2))
        {
            LidTable.Values lid = (rightSide ? LidTable.Right : LidTable.Left).Sample(p2);
            float du = lid.UpperDistance, tu = lid.UpperAlong;
            float lateral = 1f - tu; // the polylines start at the outer canthus
            bool above = lid.AboveUpper >= -0.01f;
            float lash = SmoothstepFast(0.10f + 0.06f * lateral, 0.02f, du) * (above ? 1f : 0.35f);
            albedo = Lerp(albedo, new Vector3(0.012f, 0.009f, 0.008f), 0.92f * look.LashWeight * lash);
            float dl = lid.LowerDistance;
            float lowerLash = SmoothstepFast(0.06f, 0.0f, dl) * (lid.AboveLower <= 0.01f ? 1f : 0f);
            albedo *= 1f - 0.35f * lowerLash;
            float taper = MathF.Sqrt(MathF.Max(0f, MathF.Sin(MathF.PI * tu)));
            float crease = above ? Gauss(du - 0.62f - 0.1f * look.Ageing, 0f, 0.1f, 1f) * taper : 0f;
            albedo *= 1f - 0.16f * crease;
            ao *= 1f - 0.2f * crease;
            if (look.Hooding > 0f && above)
            {
                // A hooded lid: the skin fold over the lateral lid casts a soft shadow just above the lash line.
                float hood = Gauss(du - 0.32f, 0f, 0.16f, 1f) * taper * (0.4f + 0.6f * lateral);
                albedo *= 1f - 0.3f * look.Hooding * hood;
                ao *= 1f - 0.3f * look.Hooding * hood;
            }
            spec *= 1f - 0.8f * lash;
        }

        return albedo;
    }

    private float Wrinkles(float x, float y, float ax)
    {
        AvatarLook look = _look;
        float age = look.Ageing;
        float w = 0f;
        float depth = 1f + look.WrinkleBoost; // 1 in the kit
        float wide = SaturateFast(look.WrinkleBoost); // 0 in the kit: the original line widths

        // Nasolabial folds (slight in all adults, deeper with age).
        if (ax > 1.3f && ax < 3.3f && y < -1.0f && y > -5f)
        {
            float nl = RenderMath.SegmentDistance(new Vector2(ax, y), new Vector2(1.75f, -1.45f), new Vector2(2.85f, -4.55f), out float tnl);
            w += (0.05f * (1f - look.Youth) + 0.22f * age * depth) * SmoothstepFast(0.22f + 0.1f * age + 0.08f * wide * age, 0.0f, nl) * (1f - SmoothstepFast(0.85f, 1f, tnl));
        }

        if (look.Glabella > 0f && ax < 0.9f && y > 3.4f && y < 5.2f)
        {
            float g = RenderMath.SegmentDistance(new Vector2(ax, y), new Vector2(0.42f, 3.75f), new Vector2(0.52f, 4.85f), out _);
            w += 0.28f * look.Glabella * SmoothstepFast(0.09f, 0f, g);
        }

        if (age <= 0f)
        {
            return w;
        }

        // Forehead lines.
        if (y > 5.7f && y < 8.6f && ax < 5.5f)
        {
            float wave = y + 0.18f * ValueNoise.Sample(x * 0.6f + look.NoiseOffset.X, 3f);
            float s = MathF.Sin(wave * MathF.Tau / 0.62f);
            float line = SmoothstepFast(0.75f - 0.3f * wide, 0.98f, s) * SmoothstepFast(5.5f, 3.5f, ax) * SaturateFast(0.6f + ValueNoise.Sample(x * 0.9f, y * 0.3f + 9f));
            w += 0.16f * age * depth * line;
        }

        // Crow's feet: short radial lines fanning from the outer canthus.
        Vector2 d = new(ax - 4.75f, y - 2.6f);
        float r2 = d.LengthSquared();
        if (r2 > 0.35f * 0.35f && r2 < 1.2f * 1.2f && d.X > -0.2f)
        {
            float r = MathF.Sqrt(r2);
            float ang = FastAtan2(d.Y, d.X);
            float fan = SmoothstepFast(0.8f - 0.3f * wide, 0.98f, MathF.Sin(ang * 11f + ValueNoise.Sample(r * 2f, 5f)));
            w += 0.09f * age * depth * fan * SmoothstepFast(1.2f, 0.5f, r);
        }

        // Lower-lid fold and marionette lines.
        if (ax > 2.2f && ax < 4.3f)
        {
            float fold = MathF.Abs(y - (2.0f - 0.25f * (ax - 3.2f) * (ax - 3.2f)));
            w += 0.08f * age * depth * SmoothstepFast(0.08f + 0.04f * wide, 0f, fold) * SmoothstepFast(1.1f, 0.3f, MathF.Abs(ax - 3.25f));
        }

        if (ax > 2.4f && ax < 3.3f && y < -4.6f && y > -6.9f)
        {
            float mar = RenderMath.SegmentDistance(new Vector2(ax, y), new Vector2(2.7f, -4.9f), new Vector2(3.0f, -6.6f), out _);
            w += 0.14f * age * age * depth * SmoothstepFast(0.15f + 0.08f * wide, 0f, mar);
        }

        return w;
    }

    /// <summary>
    /// The lip mask (0 outside, 0.5 on the outer contour, 1 well inside) at canonical point
    /// <paramref name="p"/>: exact, from the lip polygons. The renderer reads it from
    /// <see cref="LipTable"/>.
    /// </summary>
    private static float LipMaskExact(Vector2[] outer, Vector2[] inner, Vector2 p)
    {
        if (MathF.Abs(p.X) > 3.2f || p.Y > -2.9f || p.Y < -6f)
        {
            return 0f;
        }

        bool inside = InsidePolygon(outer, p.X, p.Y);
        if (!inside && InsidePolygon(inner, p.X, p.Y))
        {
            return 1f;
        }

        float d = PolygonEdgeDistance(outer, p);
        return inside ? SmoothstepFast(0f, 0.07f, d) * 0.5f + 0.5f : 0.5f * SmoothstepFast(0.05f, 0f, d);
    }

    /// <summary>
    /// The lip mask and the distance to the mouth seam depend only on the canonical mesh (the lips
    /// are painted in its undeformed coordinates), so they are tabulated once per process on a
    /// 0.02 cm grid over the lip region (321 x 156 nodes, built on first use) and read with
    /// bilinear interpolation: both are continuous, and 0.02 cm is under a pixel at 1024 x 1024.
    /// </summary>
    private sealed class LipTable
    {
        private const float MinX = -3.2f, MinY = -6f, Step = 0.02f;
        private const int Nx = 321, Ny = 156; // up to x = 3.2, y = -2.9

        private static readonly Lazy<LipTable> Shared = new(() => new LipTable());

        private readonly float[] _mask = new float[Nx * Ny];
        private readonly float[] _seam = new float[Nx * Ny];

        private LipTable()
        {
            Vector3[] cv = CanonicalFaceMesh.Instance.Vertices.ToArray();
            Vector2[] outer = Flat(cv, FaceModel.OuterLips), inner = Flat(cv, FaceModel.InnerLips);
            Vector2[] seam = MouthSeam(cv);
            for (int j = 0; j < Ny; j++)
            {
                for (int i = 0; i < Nx; i++)
                {
                    var p = new Vector2(MinX + (i * Step), MinY + (j * Step));
                    _mask[(j * Nx) + i] = LipMaskExact(outer, inner, p);
                    _seam[(j * Nx) + i] = PolylineDistance(seam, p, closed: false);
                }
            }
        }

        public static LipTable Instance => Shared.Value;

        /// <summary>Lip mask and seam distance at canonical <paramref name="p"/> (mask 0 outside the table's region).</summary>
        public float Sample(Vector2 p, out float seamDistance)
        {
            seamDistance = float.MaxValue;
            if (MathF.Abs(p.X) > 3.2f || p.Y > -2.9f || p.Y < -6f)
            {
                return 0f;
            }

            float fx = (p.X - MinX) * (1f / Step), fy = (p.Y - MinY) * (1f / Step);
            int i = Math.Clamp((int)fx, 0, Nx - 2), j = Math.Clamp((int)fy, 0, Ny - 2);
            float tx = fx - i, ty = fy - j;
            int k = (j * Nx) + i;
            seamDistance = Bilinear(_seam, k, tx, ty);
            return Bilinear(_mask, k, tx, ty);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Bilinear(float[] t, int k, float tx, float ty)
        {
            float a = t[k], b = t[k + 1], c = t[k + Nx], d = t[k + Nx + 1];
            float top = a + ((b - a) * tx), bottom = c + ((d - c) * tx);
            return top + ((bottom - top) * ty);
        }
    }

    /// <summary>
    /// The lid lines' geometry around one eye in canonical coordinates (distance to the upper and
    /// lower margins, position along the upper margin, height above each margin), which depends
    /// only on the canonical mesh: tabulated once per process on a 0.02 cm grid over the lid box
    /// and read with bilinear interpolation (all five are continuous where the lashes and the
    /// crease are drawn).
    /// </summary>
    private sealed class LidTable
    {
        private const float Step = 0.02f;
        private static readonly Lazy<LidTable> RightTable = new(() => new LidTable(right: true));
        private static readonly Lazy<LidTable> LeftTable = new(() => new LidTable(right: false));

        private readonly float _minX, _minY;
        private readonly int _nx, _ny;
        private readonly Values[] _v;

        private LidTable(bool right)
        {
            Vector3[] cv = CanonicalFaceMesh.Instance.Vertices.ToArray();
            Vector2[] up = Flat(cv, right ? [33, 246, 161, 160, 159, 158, 157, 173, 133] : [263, 466, 388, 387, 386, 385, 384, 398, 362]);
            Vector2[] lo = Flat(cv, right ? [33, 7, 163, 144, 145, 153, 154, 155, 133] : [263, 249, 390, 373, 374, 380, 381, 382, 362]);
            Box box = Box.Around(up.Concat(lo), 0.2f, 0.12f, 1.0f);
            _minX = box.MinX - Step;
            _minY = box.MinY - Step;
            _nx = (int)MathF.Ceiling((box.MaxX - box.MinX) / Step) + 3;
            _ny = (int)MathF.Ceiling((box.MaxY - box.MinY) / Step) + 3;
            _v = new Values[_nx * _ny];
            for (int j = 0; j < _ny; j++)
            {
                for (int i = 0; i < _nx; i++)
                {
                    var p = new Vector2(_minX + (i * Step), _minY + (j * Step));
                    float du = PolylineDistance(up, p, closed: false, out float tu);
                    float dl = PolylineDistance(lo, p, closed: false, out _);
                    _v[(j * _nx) + i] = new Values(du, tu, p.Y - MarginYAt(up, p.X), dl, p.Y - MarginYAt(lo, p.X));
                }
            }
        }

        public static LidTable Right => RightTable.Value;

        public static LidTable Left => LeftTable.Value;

        /// <summary>Distance to and position along the upper margin, height above it, distance to and height above the lower margin (cm).</summary>
        public readonly record struct Values(float UpperDistance, float UpperAlong, float AboveUpper, float LowerDistance, float AboveLower);

        /// <summary>The values at canonical <paramref name="p"/> (inside the lid box).</summary>
        public Values Sample(Vector2 p)
        {
            float fx = (p.X - _minX) * (1f / Step), fy = (p.Y - _minY) * (1f / Step);
            int i = Math.Clamp((int)fx, 0, _nx - 2), j = Math.Clamp((int)fy, 0, _ny - 2);
            float tx = fx - i, ty = fy - j;
            int k = (j * _nx) + i;
            Values a = _v[k], b = _v[k + 1], c = _v[k + _nx], d = _v[k + _nx + 1];
            float w00 = (1f - tx) * (1f - ty), w10 = tx * (1f - ty), w01 = (1f - tx) * ty, w11 = tx * ty;
            return new Values(
                (w00 * a.UpperDistance) + (w10 * b.UpperDistance) + (w01 * c.UpperDistance) + (w11 * d.UpperDistance),
                (w00 * a.UpperAlong) + (w10 * b.UpperAlong) + (w01 * c.UpperAlong) + (w11 * d.UpperAlong),
                (w00 * a.AboveUpper) + (w10 * b.AboveUpper) + (w01 * c.AboveUpper) + (w11 * d.AboveUpper),
                (w00 * a.LowerDistance) + (w10 * b.LowerDistance) + (w01 * c.LowerDistance) + (w11 * d.LowerDistance),
                (w00 * a.AboveLower) + (w10 * b.AboveLower) + (w01 * c.AboveLower) + (w11 * d.AboveLower));
        }
    }

    private static Vector2[] MouthSeam(Vector3[] cv)
    {
        int[] upperInner = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
        int[] lowerInner = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
        return upperInner.Zip(lowerInner, (a, b) => new Vector2(0.5f * (cv[a].X + cv[b].X), 0.5f * (cv[a].Y + cv[b].Y))).ToArray();
    }

    private static float BrowAlpha(Vector2 p, Vector2[] centre, float[] half, float nx, float ny)
    {
        float best = float.MaxValue;
        float bestHalf = 0f, bestT = 0f;
        for (int i = 0; i < centre.Length - 1; i++)
        {
            float d = RenderMath.SegmentDistanceSquared(p, centre[i], centre[i + 1], out float t);
            if (d < best)
            {
                best = d;
                bestHalf = Lerp(half[i], half[i + 1], t);
                bestT = (i + t) / (centre.Length - 1);
            }
        }

        best = MathF.Sqrt(best);

        float edge = SmoothstepFast(bestHalf * 1.15f, bestHalf * 0.55f, best);
        if (edge <= 0f)
        {
            return 0f;
        }

        // Strands: high frequency across, low along the brow; medial end fainter and more vertical.
        float strands = 0.5f + 0.5f * ValueNoise.Sample(nx * 34f + ny * 9f, ny * 6f);
        float density = Lerp(0.75f, 0.95f, SmoothstepFast(0f, 0.35f, bestT)) * Lerp(1f, 0.75f, SmoothstepFast(0.8f, 1f, bestT));
        return edge * density * (0.55f + 0.45f * strands);
    }

    private Vector3 ShadeEye(float px, float py, EyeballModel eye, bool right)
    {
        if (eye.Schematic)
        {
            return ShadeSchematicEye(px, py, eye, right);
        }

        Vector3 d = RayDirHead(px, py);
        if (!IntersectEllipsoid(_camHead, d, eye.Centre, new Vector3(eye.Radius), out float t0, out _))
        {
            // Inside the lid opening but past the sphere's silhouette: deep shadow.
            return new Vector3(0.05f, 0.03f, 0.03f);
        }

        Vector3 p = _camHead + t0 * d;
        Vector3 nHead = (p - eye.Centre) / eye.Radius;
        Vector3 n = ToWorld(nHead);
        Vector3 view = Vector3.Normalize(-ToWorld(d));
        float cosG = Vector3.Dot(nHead, eye.Gaze);
        Vector3 col;
        if (cosG >= eye.CosLimbus - 0.02f)
        {
            // Through the cornea to the flat iris (limbus plane).
            float denom = Vector3.Dot(d, eye.Gaze);
            float ti = MathF.Abs(denom) > 1e-6f ? Vector3.Dot(eye.IrisCentre - _camHead, eye.Gaze) / denom : t0;
            Vector3 q = _camHead + ti * d - eye.IrisCentre;
            float qx = Vector3.Dot(q, eye.AxisX), qy = Vector3.Dot(q, eye.AxisY);
            float r = MathF.Sqrt(qx * qx + qy * qy) / eye.IrisRadius;
            float ang = FastAtan2(qy, qx);
            float fibres = 0.5f + 0.5f * ValueNoise.Sample(ang * 14f + _look.NoiseOffset.X, r * 3f) + 0.25f * ValueNoise.Sample(ang * 40f, r * 6f + 3f);
            float pr = eye.PupilRadius / eye.IrisRadius;
            Vector3 iris = Lerp(_look.IrisInner, _look.IrisOuter, SmoothstepFast(pr, 1f, r)) * (0.7f + 0.5f * fibres);
            iris *= 1f - 0.6f * SmoothstepFast(0.78f, 1.0f, r); // limbal ring
            Vector3 pupil = new(0.012f, 0.010f, 0.010f);
            col = Lerp(pupil, iris, SmoothstepFast(pr - 0.03f, pr + 0.03f, r));
            Vector3 sclera = ScleraColour(nHead, eye, right);
            col = Lerp(col, sclera, SmoothstepFast(0.98f, 1.04f, r));
            float diffuse = 0.55f + 0.45f * SaturateFast(Vector3.Dot(n, KeyDir));
            col *= diffuse * 1.1f;
        }
        else
        {
            col = ScleraColour(nHead, eye, right);
            float diffuse = SaturateFast((Vector3.Dot(n, KeyDir) + 0.6f) / 1.6f);
            col *= 0.45f + 0.75f * diffuse;
        }

        // Wet corneal/scleral highlight of the key light.
        Vector3 h = Vector3.Normalize(KeyDir + view);
        float sp = PowUnit(SaturateFast(Vector3.Dot(n, h)), 180f);
        col += new Vector3(1.6f) * sp;
        return col;
    }

    /// <summary>
    /// The schematic eye (ground-truth kit): the corneal cap is its own sphere; through it the iris is painted at the
    /// limbus plane and the pupil at the entrance pupil's plane (no refraction is traced: what is drawn there is the
    /// entrance pupil, the pupil's image through the cornea); the key light's highlight is taken on the corneal sphere,
    /// at a quarter of its strength when the camera light's reflex is drawn (a large soft source beside a flash).
    /// </summary>
    private Vector3 ShadeSchematicEye(float px, float py, EyeballModel eye, bool right)
    {
        Vector3 d = RayDirHead(px, py);
        bool globe = IntersectEllipsoid(_camHead, d, eye.Centre, new Vector3(eye.Radius), out float t0, out _);
        bool cornea = IntersectEllipsoid(_camHead, d, eye.CorneaCentre, new Vector3(eye.CorneaRadius), out float tc, out _)
            && Vector3.Dot(_camHead + tc * d - eye.CorneaCentre, eye.Gaze) >= eye.CorneaRadius * eye.CosCorneaCap;
        if (!globe && !cornea)
        {
            return new Vector3(0.05f, 0.03f, 0.03f);
        }

        Vector3 p = _camHead + (cornea ? tc : t0) * d;
        Vector3 nGlobe = Vector3.Normalize(p - eye.Centre);
        Vector3 nSurface = cornea ? (p - eye.CorneaCentre) / eye.CorneaRadius : nGlobe;
        Vector3 n = ToWorld(nGlobe);
        Vector3 view = Vector3.Normalize(-ToWorld(d));
        Vector3 col;
        if (cornea || Vector3.Dot(nGlobe, eye.Gaze) >= eye.CosLimbus - 0.02f)
        {
            float denom = Vector3.Dot(d, eye.Gaze);
            float ti = MathF.Abs(denom) > 1e-6f ? Vector3.Dot(eye.IrisCentre - _camHead, eye.Gaze) / denom : t0;
            float tp = MathF.Abs(denom) > 1e-6f ? Vector3.Dot(eye.PupilCentre - _camHead, eye.Gaze) / denom : t0;
            Vector3 q = _camHead + ti * d - eye.IrisCentre;
            Vector3 qp = _camHead + tp * d - eye.PupilCentre;
            float qx = Vector3.Dot(q, eye.AxisX), qy = Vector3.Dot(q, eye.AxisY);
            float r = MathF.Sqrt(qx * qx + qy * qy) / eye.IrisRadius;
            float rp = MathF.Sqrt(MathF.Max(0f, qp.LengthSquared() - Vector3.Dot(qp, eye.Gaze) * Vector3.Dot(qp, eye.Gaze))) / eye.IrisRadius;
            float ang = FastAtan2(qy, qx);
            float fibres = 0.5f + 0.5f * ValueNoise.Sample(ang * 14f + _look.NoiseOffset.X, r * 3f) + 0.25f * ValueNoise.Sample(ang * 40f, r * 6f + 3f);
            float pr = eye.PupilRadius / eye.IrisRadius;
            Vector3 iris = Lerp(_look.IrisInner, _look.IrisOuter, SmoothstepFast(pr, 1f, r)) * (0.7f + 0.5f * fibres);
            iris *= 1f - 0.6f * SmoothstepFast(0.78f, 1.0f, r); // limbal ring
            Vector3 pupil = new(0.012f, 0.010f, 0.010f);
            col = Lerp(pupil, iris, SmoothstepFast(pr - 0.03f, pr + 0.03f, rp));
            col = Lerp(col, ScleraColour(nGlobe, eye, right), SmoothstepFast(0.98f, 1.04f, r));
            col *= (0.55f + 0.45f * SaturateFast(Vector3.Dot(n, KeyDir))) * 1.1f;
        }
        else
        {
            col = ScleraColour(nGlobe, eye, right);
            float diffuse = SaturateFast((Vector3.Dot(n, KeyDir) + 0.6f) / 1.6f);
            col *= 0.45f + 0.75f * diffuse;
        }

        Vector3 h = Vector3.Normalize(KeyDir + view);
        float sp = PowUnit(SaturateFast(Vector3.Dot(ToWorld(nSurface), h)), 180f);
        col += new Vector3(_cameraLightCm > 0f ? 0.4f : 1.6f) * sp;
        return col;
    }

    /// <summary>
    /// The corneal reflex of the light at the camera. With the light at the camera the reflecting point's normal must
    /// point at the camera, so it is the point of the corneal sphere on the line from its centre to the camera (on the
    /// globe sphere instead when the camera lies beyond the corneal cap). The light's mirror image (a convex mirror of
    /// focal length R / 2) has radius (D / 2) (R / 2) / (u + R / 2) for a light of diameter D at distance u.
    /// </summary>
    private ReflexSpot Reflex(EyeballModel eye)
    {
        if (!eye.Schematic)
        {
            return default;
        }

        Vector3 toCamera = Vector3.Normalize(_camHead - eye.CorneaCentre);
        bool onCornea = Vector3.Dot(toCamera, eye.Gaze) >= eye.CosCorneaCap;
        Vector3 centre = onCornea ? eye.CorneaCentre : eye.Centre;
        float mirror = onCornea ? eye.CorneaRadius : eye.Radius;
        Vector3 point = centre + mirror * Vector3.Normalize(_camHead - centre);
        Vector3 pw = PoseToWorld(point);
        float u = Vector3.Distance(_camHead, point);
        float f = 0.5f * mirror;
        float radiusCm = 0.5f * _cameraLightCm * f / (u + f);
        return new ReflexSpot(point, ToCanvas(ProjectWorld(pw)), onCornea, radiusCm * _k / (CameraDistance - pw.Z));
    }

    private void AddCornealReflexes()
    {
        _reflexR = Reflex(_model.RightEye);
        _reflexL = Reflex(_model.LeftEye);
        if (_cameraLightCm <= 0f)
        {
            return;
        }

        if (_model.RightEye.Schematic)
        {
            AddCornealReflex(IdEyeR, _eyePolyR, _reflexR);
        }

        if (_model.LeftEye.Schematic)
        {
            AddCornealReflex(IdEyeL, _eyePolyL, _reflexL);
        }
    }

    /// <summary>
    /// Adds the reflex (white, on the eyeball's pixels only, so a lid hides it) after the lid shadow, which belongs to
    /// the key light; the lash contact line at the upper margin covers it as in <see cref="ShadeEyeLids(int, Vector2[])"/>.
    /// </summary>
    private void AddCornealReflex(int id, Vector2[] poly, ReflexSpot spot)
    {
        float width = Vector2.Distance(poly[0], poly[8]);
        float shadowPx = MathF.Max(2f, 0.2f * width);
        float lashPx = MathF.Max(1f, 0.045f * width);
        int maxScan = (int)MathF.Ceiling(shadowPx) + 1;
        float r = spot.RadiusPx;
        float s2 = 0.25f * r * r + ReflexBlurPixels * ReflexBlurPixels;
        float radiance = ReflexRadiance4Cm * (4f / _cameraLightCm) * (4f / _cameraLightCm);
        float peak = radiance * r * r / (2f * s2);
        int reach = (int)MathF.Ceiling(4f * MathF.Sqrt(s2)) + 1;
        int cx = (int)MathF.Floor(spot.Canvas.X), cy = (int)MathF.Floor(spot.Canvas.Y);
        for (int y = Math.Max(0, cy - reach); y <= Math.Min(_h - 1, cy + reach); y++)
        {
            for (int x = Math.Max(0, cx - reach); x <= Math.Min(_w - 1, cx + reach); x++)
            {
                int o = y * _w + x;
                if (_id[o] != id)
                {
                    continue;
                }

                float dx = x + 0.5f - spot.Canvas.X, dy = y + 0.5f - spot.Canvas.Y;
                float g = peak * MathF.Exp(-(dx * dx + dy * dy) / (2f * s2));
                int up = 1;
                while (up <= maxScan && y - up >= 0 && _id[o - up * _w] == id)
                {
                    up++;
                }

                float u = MathF.Min(up - 0.5f, maxScan);
                float lashNoise = 0.5f + 0.5f * ValueNoise.Sample(x * 0.9f * 1024f / _w / 1.5f, 3f);
                float lash = _look.MeasurementEyes
                    ? SmoothstepFast(lashPx * (0.35f + 0.2f * lashNoise), lashPx * 0.08f, u)
                    : SmoothstepFast(lashPx * (1.2f + 0.8f * lashNoise), lashPx * 0.3f, u);
                g *= 1f - 0.85f * lash;
                _colour[3 * o] += g;
                _colour[3 * o + 1] += g;
                _colour[3 * o + 2] += g;
            }
        }
    }

    private EyeOptics? Optics(EyeballModel eye, ReflexSpot spot, int id)
    {
        if (!eye.Schematic)
        {
            return null;
        }

        Vector3 limbus = PoseToWorld(eye.IrisCentre);
        int px = (int)MathF.Floor(spot.Canvas.X), py = (int)MathF.Floor(spot.Canvas.Y);
        bool visible = px >= 0 && py >= 0 && px < _w && py < _h && _id[py * _w + px] == id;
        return new EyeOptics
        {
            LimbusCentre = ToCanvas(ProjectWorld(limbus)),
            PupilCentre = ToCanvas(ProjectWorld(PoseToWorld(eye.PupilCentre))),
            Reflex = spot.Canvas,
            ReflexOnCornea = spot.OnCornea,
            ReflexVisible = visible,
            ReflexRadiusPixels = _cameraLightCm > 0f ? spot.RadiusPx : 0f,
            PixelsPerMm = _k / (CameraDistance - limbus.Z) / 10f,
            AxisAngles = eye.AxisAngles,
        };
    }

    private Vector3 ScleraColour(Vector3 nHead, EyeballModel eye, bool right)
    {
        Vector3 baseCol = new(0.66f, 0.61f, 0.58f);
        float off = 1f - Vector3.Dot(nHead, eye.Gaze); // grows towards the corners
        float veins = SaturateFast(0.5f + ValueNoise.Sample(nHead.X * 40f + (right ? 0f : 50f), nHead.Y * 40f)) * SmoothstepFast(0.15f, 0.5f, off);
        baseCol *= new Vector3(1f, 1f - 0.12f * veins, 1f - 0.12f * veins);
        return baseCol * (1f - 0.35f * SmoothstepFast(0.1f, 0.6f, off));
    }

    private SkinSample ShadeShape(int id, float px, float py, float t)
    {
        Vector3 d = RayDirHead(px, py);
        Vector3 p = _camHead + t * d;
        FaceModel m = _model;
        switch (id)
        {
            case IdSkull:
            {
                Vector3 sr = p.Y >= m.SkullCentre.Y ? m.SkullRadii : m.SkullRadii with { Y = m.SkullLowerRadiusY };
                Vector3 nh = Vector3.Normalize((p - m.SkullCentre) / (sr * sr));
                float ao = 1f;
                Vector3 albedo = _look.SkinAlbedo * (1f + 0.07f * ValueNoise.Fractal((p.X + _look.NoiseOffset.X) * 1.6f, (p.Y + _look.NoiseOffset.Y) * 1.6f, 2));
                return new SkinSample(albedo, ToWorld(nh), ao, 0.05f, 20f, SkinWrap);
            }

            case IdEarR:
            case IdEarL:
            {
                Vector3 ec = id == IdEarR ? new Vector3(-m.EarCentre.X, m.EarCentre.Y, m.EarCentre.Z) : m.EarCentre;
                Vector3 nh = Vector3.Normalize((p - ec) / (m.EarRadii * m.EarRadii));
                Vector3 albedo = _look.SkinAlbedo * new Vector3(1.06f, 0.92f, 0.9f);
                float rim = Gauss((p.Y - ec.Y) / m.EarRadii.Y, (p.Z - ec.Z) / m.EarRadii.Z, 0.45f, 0.45f);
                return new SkinSample(albedo, ToWorld(nh), 0.8f - 0.35f * rim, 0.04f, 15f, SkinWrap * 1.4f);
            }

            case IdNeck:
            {
                var nh = Vector3.Normalize(new Vector3((p.X - m.NeckCentre.X) / (m.NeckRadii.X * m.NeckRadii.X), 0f, (p.Z - m.NeckCentre.Z) / (m.NeckRadii.Y * m.NeckRadii.Y)));
                float shadow = 1f - 0.72f * SmoothstepFast(-14.5f, -8.8f, p.Y);
                Vector3 albedo = _look.SkinAlbedo * 0.93f * (1f + 0.05f * ValueNoise.Fractal((p.X + _look.NoiseOffset.X) * 1.6f, p.Y * 1.6f, 2));
                return new SkinSample(albedo, ToWorld(nh), shadow, 0.03f, 15f, SkinWrap);
            }

            case IdTorso:
            {
                Vector3 nh = Vector3.Normalize((p - m.TorsoCentre) / (m.TorsoRadii * m.TorsoRadii));
                float weave = 1f + 0.05f * ValueNoise.Sample(p.X * 8f, p.Y * 8f);
                float collar = SmoothstepFast(m.NeckRadii.X + 1.5f, m.NeckRadii.X + 0.4f, MathF.Abs(p.X)) * SmoothstepFast(-16f, -13.5f, p.Y);
                return new SkinSample(_look.Clothing * weave, ToWorld(nh), 1f - 0.4f * collar, 0.02f, 8f, new Vector3(0.2f));
            }

            default:
                return new SkinSample(Vector3.Zero, Vector3.UnitZ, 0f, 0f, 1f, Vector3.Zero);
        }
    }

    private Vector3 ShadeHair(bool curtain, Vector3 p, Vector3 d)
    {
        FaceModel m = _model;
        Vector3 c = m.HairCentre;
        Vector3 nh;
        if (!curtain)
        {
            nh = Vector3.Normalize((p - c) / (m.HairRadii * m.HairRadii));
        }
        else
        {
            nh = Vector3.Normalize(new Vector3(p.X - c.X, 0f, (p.Z - c.Z) * 0.8f));
        }

        bool inner = Vector3.Dot(nh, d) > 0f;
        if (inner)
        {
            nh = -nh;
        }

        // Strands fall away from the parting: they radiate from a point above it, so the across-strand
        // coordinate is the angle seen from there times the distance (constant strand width in cm).
        float dx = p.X - _look.PartingX, dy = c.Y + m.HairRadii.Y + 3f - p.Y;
        float along = MathF.Sqrt(dx * dx + dy * dy);
        float across = FastAtan2(dx, dy) * along;
        float strands = 0.6f * ValueNoise.Sample(across * 7f + _look.NoiseOffset.X, along * 0.25f) + 0.4f * ValueNoise.Sample(across * 19f, along * 0.6f + 7f);
        float clumps = ValueNoise.Sample(across * 1.5f, along * 0.2f + 3f);
        float parting = SmoothstepFast(0.25f, 0f, MathF.Abs(p.X - _look.PartingX)) * SmoothstepFast(c.Y + 5f, c.Y + 8f, p.Y) * SmoothstepFast(-2f, 2f, p.Z - c.Z);
        clumps -= 1.2f * parting;
        Vector3 albedo = _look.HairColour * (0.8f + 0.35f * strands + 0.15f * clumps);

        Vector3 n = ToWorld(nh);
        Vector3 view = Vector3.Normalize(-ToWorld(d));
        // Strand tangent: straight down the surface.
        Vector3 down = _downWorld;
        Vector3 tangent = Vector3.Normalize(down - Vector3.Dot(down, n) * n + new Vector3(1e-4f, 0f, 0f));
        Vector3 h = Vector3.Normalize(KeyDir + view);
        float th = Vector3.Dot(tangent, h);
        float s1 = SaturateFast(1f - th * th), s2 = s1 * s1, s4 = s2 * s2, s8 = s4 * s4, s16 = s8 * s8;
        float sheen = s16 * s8 * s4 * (0.6f + 0.4f * strands); // (1 - (T.H)^2)^28
        float diffuse = SaturateFast((Vector3.Dot(n, KeyDir) + 0.4f) / 1.4f);
        float fill = SaturateFast(Vector3.Dot(n, FillDir));
        float ao = inner ? 0.35f : 1f;
        if (curtain)
        {
            ao *= 0.75f + 0.25f * SmoothstepFast(_look.HairBottomY, _look.HairBottomY + 4f, p.Y);
        }

        Vector3 lit = albedo * (KeyColour * diffuse * 0.9f + FillColour * fill + SkyColour * 0.8f) * ao;
        float specAmount = 0.10f + 0.12f * _look.Grey;
        return lit + KeyColour * sheen * specAmount * ao;
    }

    // ---------------------------------------------------------------- pass 6: lid shadow and lashes over the eyes

    private void ShadeEyeLids()
    {
        ShadeEyeLids(IdEyeR, _eyePolyR);
        ShadeEyeLids(IdEyeL, _eyePolyL);
    }

    private void ShadeEyeLids(int id, Vector2[] poly)
    {
        float width = Vector2.Distance(poly[0], poly[8]);
        float shadowPx = MathF.Max(2f, 0.2f * width);
        float lashPx = MathF.Max(1f, 0.045f * width);
        int maxScan = (int)MathF.Ceiling(shadowPx) + 1;
        float minX = poly.Min(p => p.X), maxX = poly.Max(p => p.X), minY = poly.Min(p => p.Y), maxY = poly.Max(p => p.Y);
        int x0 = Math.Max(0, (int)minX), x1 = Math.Min(_w - 1, (int)maxX + 1);
        int y0 = Math.Max(0, (int)minY), y1 = Math.Min(_h - 1, (int)maxY + 1);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                int o = y * _w + x;
                if (_id[o] != id)
                {
                    continue;
                }

                int up = 1;
                while (up <= maxScan && y - up >= 0 && _id[o - up * _w] == id)
                {
                    up++;
                }

                int down = 1;
                while (down <= 3 && y + down < _h && _id[o + down * _w] == id)
                {
                    down++;
                }

                float u = MathF.Min(up - 0.5f, maxScan);
                float shade = 0.4f + 0.6f * SmoothstepFast(0f, shadowPx, u);
                float lashNoise = 0.5f + 0.5f * ValueNoise.Sample(x * 0.9f * 1024f / _w / 1.5f, 3f);
                // Kit (MeasurementEyes): only the lash roots and the margin's contact shadow, a thin dark line just inside
                // the margin (about 0.1-0.7 mm), as in photographs; avatars: a lash band over the eyeball.
                float lash = _look.MeasurementEyes
                    ? SmoothstepFast(lashPx * (0.35f + 0.2f * lashNoise), lashPx * 0.08f, u)
                    : SmoothstepFast(lashPx * (1.2f + 0.8f * lashNoise), lashPx * 0.3f, u);
                shade *= 1f - 0.85f * _look.LashWeight * lash;
                if (down <= 1)
                {
                    shade *= 0.8f;
                }

                _colour[3 * o] *= shade;
                _colour[3 * o + 1] *= shade;
                _colour[3 * o + 2] *= shade;
            }
        }
    }

    // ---------------------------------------------------------------- pass 7: hair composite, anti-aliasing and output

    private static byte ClassOf(int id) => id switch
    {
        IdBackground => ClassBackground,
        IdEyeR or IdEyeL => ClassEye,
        IdTorso => ClassCloth,
        _ => ClassSkin,
    };

    private byte[] Resolve()
    {
        int n = _w * _h;
        var rgb = new byte[n * 3];
        ref byte classes = ref MemoryMarshal.GetArrayDataReference(_class);
        ref float colour = ref MemoryMarshal.GetArrayDataReference(_colour);
        ref byte output = ref MemoryMarshal.GetArrayDataReference(rgb);
        for (int y = 0; y < _h; y++)
        {
            bool inner = y > 0 && y + 1 < _h;
            for (int x = 0; x < _w; x++)
            {
                int o = y * _w + x;

                // Fast path: 8 pixels none of which differs in class from its four neighbours
                // (compared 8 at a time as 64-bit words), converted without the anti-aliasing.
                if (inner && x > 0 && x + 8 < _w)
                {
                    ulong c8 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref classes, o));
                    if (c8 == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref classes, o + 1))
                        && c8 == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref classes, o - 1))
                        && c8 == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref classes, o + _w))
                        && c8 == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref classes, o - _w)))
                    {
                        ToSrgbBytes24(ref Unsafe.Add(ref colour, 3 * o), ref Unsafe.Add(ref output, 3 * o));
                        x += 7;
                        continue;
                    }
                }

                byte cls = _class[o];
                bool edge = (x + 1 < _w && _class[o + 1] != cls) || (x > 0 && _class[o - 1] != cls)
                    || (y + 1 < _h && _class[o + _w] != cls) || (y > 0 && _class[o - _w] != cls);
                float r, g, b;
                if (edge)
                {
                    r = g = b = 0f;
                    float wsum = 0f;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        int yy = y + dy;
                        if (yy < 0 || yy >= _h)
                        {
                            continue;
                        }

                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int xx = x + dx;
                            if (xx < 0 || xx >= _w)
                            {
                                continue;
                            }

                            float wgt = (dx == 0 ? 2f : 1f) * (dy == 0 ? 2f : 1f);
                            int q = 3 * (yy * _w + xx);
                            r += wgt * _colour[q];
                            g += wgt * _colour[q + 1];
                            b += wgt * _colour[q + 2];
                            wsum += wgt;
                        }
                    }

                    r /= wsum;
                    g /= wsum;
                    b /= wsum;
                }
                else
                {
                    r = _colour[3 * o];
                    g = _colour[3 * o + 1];
                    b = _colour[3 * o + 2];
                }

                rgb[3 * o] = ToSrgbByte(r);
                rgb[3 * o + 1] = ToSrgbByte(g);
                rgb[3 * o + 2] = ToSrgbByte(b);
            }
        }

        return rgb;
    }

    // ---------------------------------------------------------------- painting helpers

    private static Vector2[] Flat(Vector3[] v, int[] indices) => indices.Select(i => new Vector2(v[i].X, v[i].Y)).ToArray();

    private static (Vector2[] Centre, float[] Half) BrowLine(Vector3[] v, (int Upper, int Lower)[] pairs)
    {
        var centre = new Vector2[pairs.Length];
        var half = new float[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            Vector3 a = v[pairs[i].Upper], b = v[pairs[i].Lower];
            centre[i] = new Vector2(0.5f * (a.X + b.X), 0.5f * (a.Y + b.Y));
            half[i] = 0.5f * Vector2.Distance(new Vector2(a.X, a.Y), new Vector2(b.X, b.Y));
        }

        return (centre, half);
    }

    private float[] BrowHalfScaled(float[] half) => half.Select(h => h * _look.BrowThickness).ToArray();

    private static float PolylineDistance(Vector2[] line, Vector2 p, bool closed) => PolylineDistance(line, p, closed, out _);

    private static float PolylineDistance(Vector2[] line, Vector2 p, bool closed, out float tAlong)
    {
        float best = float.MaxValue;
        tAlong = 0f;
        int segs = closed ? line.Length : line.Length - 1;
        for (int i = 0; i < segs; i++)
        {
            float d = RenderMath.SegmentDistanceSquared(p, line[i], line[(i + 1) % line.Length], out float t);
            if (d < best)
            {
                best = d;
                tAlong = (i + t) / segs;
            }
        }

        return MathF.Sqrt(best);
    }

    private static float MarginYAt(Vector2[] margin, float x)
    {
        for (int k = 0; k < margin.Length - 1; k++)
        {
            Vector2 a = margin[k], b = margin[k + 1];
            if ((x - a.X) * (x - b.X) <= 0f)
            {
                float t = MathF.Abs(b.X - a.X) < 1e-6f ? 0f : (x - a.X) / (b.X - a.X);
                return a.Y + (b.Y - a.Y) * t;
            }
        }

        return margin[margin.Length / 2].Y;
    }
}
