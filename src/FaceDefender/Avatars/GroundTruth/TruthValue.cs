namespace FaceDefender.Avatars.GroundTruth;

/// <summary>One exact measurement: in pixels of the rendered image and in millimetres at the stated iris diameter.</summary>
/// <param name="Pixels">Value in image pixels.</param>
/// <param name="Millimetres">Pixels x stated iris diameter / that eye's iris width in pixels.</param>
public readonly record struct TruthValue(double Pixels, double Millimetres);
