namespace FaceDefender.Abstractions;

/// <summary>The sex an avatar presents, used to pick a synthetic face that matches the patient's.</summary>
public enum AvatarSex
{
    /// <summary>Female.</summary>
    Female,

    /// <summary>Male.</summary>
    Male,
}
