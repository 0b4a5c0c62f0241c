namespace FaceDefender.Abstractions;

/// <summary>
/// A decentration converted to prism dioptres with the Hirschberg ratio, with the range that the
/// individual variation of that ratio implies. Immutable.
/// </summary>
/// <param name="Dioptres">Millimetres x the configured ratio (default 22 PD/mm).</param>
/// <param name="Low">Millimetres x the low end of the ratio range (default 14 PD/mm).</param>
/// <param name="High">Millimetres x the high end of the ratio range (default 24 PD/mm).</param>
public readonly record struct PrismValue(double Dioptres, double Low, double High)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Dioptres:F0} PD ({Low:F0}-{High:F0})");
}
