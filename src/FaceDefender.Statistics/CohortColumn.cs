using System.Collections.Immutable;

namespace FaceDefender.Statistics;

/// <summary>One numeric column read from a cohort CSV. Immutable.</summary>
/// <param name="Name">Header name.</param>
/// <param name="Values">The numeric values in file order, missing cells left out.</param>
/// <param name="MissingRows">1-based data-row numbers (header excluded) whose cell was empty, NA or NaN.</param>
public sealed record CohortColumn(string Name, ImmutableArray<double> Values, ImmutableArray<int> MissingRows);
