namespace ConstCl.Datasets;

/// <summary>
/// Ground-truth pose of the synthetic object in one frame.
/// </summary>
/// <param name="X">Centre x in pixels, unwrapped (the drawn object wraps around the frame edges, so the visible centre is X mod width).</param>
/// <param name="Y">Centre y in pixels, unwrapped (y grows downwards).</param>
/// <param name="Angle">Orientation in radians; increasing = clockwise on screen.</param>
/// <param name="Scale">Size relative to the object's base size.</param>
public readonly record struct SyntheticPose(double X, double Y, double Angle, double Scale);
