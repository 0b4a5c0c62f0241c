using FaceDefender.Decoding;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>One raw photo of the audit: who it is and where the face is. The audit does not dispose the image.</summary>
/// <param name="Identity">The person's label (images with the same label are the same person).</param>
/// <param name="Image">The raw photo.</param>
/// <param name="Landmarks">Its 478 landmarks (from a detector).</param>
/// <param name="Label">A name for the image in reports (for example its file name).</param>
public sealed record AuditSample(string Identity, Image<Rgb24> Image, FaceLandmarks Landmarks, string Label);

/// <summary>
/// One raw photo of the audit kept as a file: the audit decodes it (<see cref="FaceImageDecoder.Load(string, long)"/>,
/// EXIF orientation applied) when it reaches the photo and disposes it afterwards, so memory stays bounded by the
/// parallelism rather than growing with the number of photos. A file that cannot be read then counts as a photo that
/// could not be embedded; the rest of the audit goes on.
/// </summary>
/// <param name="Identity">The person's label (images with the same label are the same person).</param>
/// <param name="File">The image file; its landmarks must refer to the decoded, orientation-corrected pixels.</param>
/// <param name="Landmarks">Its 478 landmarks (from a detector).</param>
/// <param name="Label">A name for the image in reports (for example its file name).</param>
public sealed record AuditPhoto(string Identity, string File, FaceLandmarks Landmarks, string Label);

/// <summary>Progress of an audit.</summary>
/// <param name="Completed">Photos finished.</param>
/// <param name="Total">Photos in the audit.</param>
public readonly record struct AuditProgress(int Completed, int Total);
