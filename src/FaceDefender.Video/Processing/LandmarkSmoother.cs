using System.Numerics;
using FaceDefender.Landmarks;

namespace FaceDefender.Video.Processing;

/// <summary>
/// One Euro smoothing of a face's landmarks over frames: the 478 points, both 71-point eye contours (x, y, depth) and each
/// eye's corneal-reflex position. Positions are filtered in inter-pupillary distances of the first frame after a reset, so
/// the parameters mean the same at every face size. A reflex that is not found resets that eye's reflex filter (the next
/// found reflex starts afresh); contours missing in a frame reset the contour filter.
/// </summary>
internal sealed class LandmarkSmoother
{
    private const int ContourChannels = EyeContour.Count * 3;
    private readonly OneEuroFilter _points;
    private readonly OneEuroFilter _contours;
    private readonly OneEuroFilter _rightReflex;
    private readonly OneEuroFilter _leftReflex;
    private readonly double[] _pointBuffer = new double[FaceLandmarks.Count * 3];
    private readonly double[] _contourBuffer = new double[2 * ContourChannels];
    private readonly double[] _reflexBuffer = new double[2];
    private double _unit;

    public LandmarkSmoother(double minCutoffHz, double beta, double derivativeCutoffHz)
    {
        _points = new OneEuroFilter(FaceLandmarks.Count * 3, minCutoffHz, beta, derivativeCutoffHz);
        _contours = new OneEuroFilter(2 * ContourChannels, minCutoffHz, beta, derivativeCutoffHz);
        _rightReflex = new OneEuroFilter(2, minCutoffHz, beta, derivativeCutoffHz);
        _leftReflex = new OneEuroFilter(2, minCutoffHz, beta, derivativeCutoffHz);
    }

    /// <summary>The filter the landmark positions go through (for its parameters and lag).</summary>
    public OneEuroFilter PointFilter => _points;

    public void Reset()
    {
        _points.Reset();
        _contours.Reset();
        _rightReflex.Reset();
        _leftReflex.Reset();
    }

    public FaceLandmarks Smooth(FaceLandmarks raw, double stepSeconds)
    {
        if (!_points.IsInitialized)
        {
            _unit = Math.Max(raw.InterPupillaryDistance, 1.0);
        }

        ReadOnlySpan<Vector3> points = raw.Points;
        for (int i = 0; i < points.Length; i++)
        {
            _pointBuffer[(3 * i) + 0] = points[i].X / _unit;
            _pointBuffer[(3 * i) + 1] = points[i].Y / _unit;
            _pointBuffer[(3 * i) + 2] = points[i].Z / _unit;
        }

        _points.Apply(_pointBuffer, stepSeconds);
        var smoothed = new Vector3[FaceLandmarks.Count];
        for (int i = 0; i < smoothed.Length; i++)
        {
            smoothed[i] = new Vector3((float)(_pointBuffer[3 * i] * _unit), (float)(_pointBuffer[(3 * i) + 1] * _unit), (float)(_pointBuffer[(3 * i) + 2] * _unit));
        }

        EyeContour? right = raw.RightEyeContour, left = raw.LeftEyeContour;
        if (right is not null && left is not null)
        {
            Fill(right, _contourBuffer.AsSpan(0, ContourChannels));
            Fill(left, _contourBuffer.AsSpan(ContourChannels, ContourChannels));
            _contours.Apply(_contourBuffer, stepSeconds);
            right = Read(right, _contourBuffer.AsSpan(0, ContourChannels));
            left = Read(left, _contourBuffer.AsSpan(ContourChannels, ContourChannels));
        }
        else
        {
            _contours.Reset();
        }

        CornealReflexes r = raw.Reflexes;
        CornealReflexes reflexes = new(Reflex(r.Right, _rightReflex, stepSeconds), Reflex(r.Left, _leftReflex, stepSeconds), r.RightStatus, r.LeftStatus);
        return new FaceLandmarks(smoothed, raw.Space, right, left, reflexes);
    }

    private CornealReflex? Reflex(CornealReflex? reflex, OneEuroFilter filter, double stepSeconds)
    {
        if (reflex is null)
        {
            filter.Reset();
            return null;
        }

        _reflexBuffer[0] = reflex.Position.X / _unit;
        _reflexBuffer[1] = reflex.Position.Y / _unit;
        filter.Apply(_reflexBuffer, stepSeconds);
        return reflex with { Position = new Vector2((float)(_reflexBuffer[0] * _unit), (float)(_reflexBuffer[1] * _unit)) };
    }

    private void Fill(EyeContour contour, Span<double> destination)
    {
        ReadOnlySpan<Vector3> p = contour.Points;
        for (int i = 0; i < p.Length; i++)
        {
            destination[3 * i] = p[i].X / _unit;
            destination[(3 * i) + 1] = p[i].Y / _unit;
            destination[(3 * i) + 2] = p[i].Z / _unit;
        }
    }

    private EyeContour Read(EyeContour original, ReadOnlySpan<double> source)
    {
        var p = new Vector3[EyeContour.Count];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = new Vector3((float)(source[3 * i] * _unit), (float)(source[(3 * i) + 1] * _unit), (float)(source[(3 * i) + 2] * _unit));
        }

        return new EyeContour(p, original.HasRefinedCanthi) { EffectiveIrisDiameterPixels = original.EffectiveIrisDiameterPixels };
    }
}
