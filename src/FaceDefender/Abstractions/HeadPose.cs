namespace FaceDefender.Abstractions;

/// <summary>
/// Head orientation in degrees, from a rigid fit of MediaPipe's canonical face model to the landmarks
/// (weak perspective; an estimate good to a few degrees, meant for capture-quality gates).
/// </summary>
/// <param name="Roll">In-plane rotation: positive when the head is turned counter-clockwise as seen in the image (the subject's left eye, on the image's right, is higher).</param>
/// <param name="Yaw">Rotation about the vertical axis: positive when the face turns towards the image's right (the subject's left).</param>
/// <param name="Pitch">Rotation about the horizontal axis: positive when the face looks down.</param>
public readonly record struct HeadPose(float Roll, float Yaw, float Pitch);
