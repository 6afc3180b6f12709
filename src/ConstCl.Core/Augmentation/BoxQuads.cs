namespace ConstCl.Augmentation;

/// <summary>
/// Boxes as augmentations take them: a <c>float[]</c> of normalised <c>(x1, y1, x2, y2)</c> quadruples
/// (typically <c>[T, N, 4]</c> flattened, one set per frame). Every quadruple is transformed alike, so
/// the layout across frames is the caller's.
/// </summary>
internal static class BoxQuads
{
    internal static void Validate(float[]? boxes, string paramName)
    {
        if (boxes is null)
        {
            return;
        }

        if (boxes.Length % 4 != 0)
        {
            throw new ArgumentException($"Boxes must be (x1, y1, x2, y2) quadruples; got {boxes.Length} values, not a multiple of 4.", paramName);
        }

        for (int i = 0; i < boxes.Length; i++)
        {
            if (!float.IsFinite(boxes[i]))
            {
                throw new ArgumentException($"Box value {i} is {boxes[i]}; coordinates must be finite.", paramName);
            }
        }
    }
}
