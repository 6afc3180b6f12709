namespace ConstCl.Datasets;

/// <summary>
/// One synthetic clip's random appearance and motion, drawn once from a <see cref="Random"/>, and a
/// pure managed rasteriser for it. Appearance (shape, aspect, size, texture, colours, background,
/// drift, start position and orientation) is drawn the same way for every class, before and
/// independently of the motion parameters, so appearance carries no class information. The object
/// wraps around the frame edges (a torus), so its position is uniform in every frame for every class.
/// </summary>
internal sealed class SyntheticScene
{

    internal enum BackgroundKind { Noise, Gradient, Stripes, Checker }

    private const int NoiseLattice = 5;

    // 2×2 supersampling: anti-aliased edges at a quarter of the cost of 4×4.
    private static readonly double[] SubPixel = [0.25, 0.75];

    private readonly int _size;
    private readonly int _frames;
    private readonly int _margin;
    private readonly int _canvas;
    private readonly float[] _background; // [C, C, 3], C = size + 2·margin

    private readonly SyntheticMotion _motion;
    private readonly SyntheticShape _shape;
    private readonly double _aspect;
    private readonly double _radius;
    private readonly double _angle0;
    private readonly double _x0;
    private readonly double _y0;
    private readonly SyntheticTexture _texture;
    private readonly double _texturePeriod;
    private readonly double _textureAngle;
    private readonly double[] _noise = new double[NoiseLattice * NoiseLattice];
    private readonly double[] _colorA = new double[3];
    private readonly double[] _colorB = new double[3];
    private readonly double _driftX;
    private readonly double _driftY;

    // Motion parameters (only those of the scene's motion are used).
    private readonly double _dirX;
    private readonly double _dirY;
    private readonly double _distance;
    private readonly double _rotation;
    private readonly double _scaleRatio;
    private readonly double _amplitude;
    private readonly double _cycles;
    private readonly double _phase;

    private SyntheticScene(Random rng, SyntheticMotion motion, int size, int frames, double maxDrift)
    {
        _size = size;
        _frames = frames;
        _motion = motion;
        _margin = (int)Math.Ceiling(maxDrift * size) + 2;
        _canvas = size + 2 * _margin;

        // ---- appearance: identical draws for every class ----
        _shape = (SyntheticShape)rng.Next(5);
        _aspect = Uniform(rng, 1.5, 2.2);        // elongated, so rotation shows in the outline too
        _radius = size * Uniform(rng, 0.12, 0.17); // half-length of the long axis at scale 1
        _angle0 = Uniform(rng, 0, 2 * Math.PI);
        _x0 = Uniform(rng, 0, size);
        _y0 = Uniform(rng, 0, size);
        _texture = (SyntheticTexture)rng.Next(4);
        _texturePeriod = Uniform(rng, 0.35, 0.7);
        _textureAngle = Uniform(rng, 0, Math.PI);
        for (int i = 0; i < _noise.Length; i++)
        {
            _noise[i] = rng.NextDouble();
        }

        var bgA = new double[3];
        var bgB = new double[3];
        RandomColor(rng, bgA);
        Near(rng, bgA, bgB, 70);
        // Redraw the object's colours until both stand out from both background colours.
        for (int attempt = 0; ; attempt++)
        {
            RandomColor(rng, _colorA);
            Near(rng, _colorA, _colorB, 90);
            if (attempt >= 200 || (Distance(_colorA, bgA) >= 90 && Distance(_colorA, bgB) >= 90 && Distance(_colorB, bgA) >= 90 && Distance(_colorB, bgB) >= 90))
            {
                break;
            }
        }

        var bgKind = (BackgroundKind)rng.Next(4);
        _background = RenderBackground(rng, bgKind, bgA, bgB);
        double driftAngle = Uniform(rng, 0, 2 * Math.PI);
        double drift = Uniform(rng, 0, maxDrift * size);
        _driftX = drift * Math.Cos(driftAngle);
        _driftY = drift * Math.Sin(driftAngle);

        // ---- motion: magnitudes drawn for every class, direction from the class ----
        double jitter = Uniform(rng, -8, 8) * Math.PI / 180; // direction varies a little within a class
        double heading = motion switch
        {
            SyntheticMotion.MoveRight => 0,
            SyntheticMotion.MoveDown => Math.PI / 2,
            SyntheticMotion.MoveLeft => Math.PI,
            SyntheticMotion.MoveUp => -Math.PI / 2,
            _ => 0,
        } + jitter;
        _dirX = Math.Cos(heading);
        _dirY = Math.Sin(heading);
        _distance = size * Uniform(rng, 0.4, 0.55);
        _rotation = Uniform(rng, 120, 180) * Math.PI / 180;
        _scaleRatio = Uniform(rng, 2.2, 3.0);
        _amplitude = size * Uniform(rng, 0.2, 0.28);
        _cycles = Uniform(rng, 1.25, 1.75);
        _phase = Uniform(rng, 0, 2 * Math.PI);
        if (motion is SyntheticMotion.OrbitClockwise or SyntheticMotion.OrbitCounterClockwise)
        {
            // Orbit: the amplitude is the circle's radius, the travel 200°–300°.
            _cycles = Uniform(rng, 200, 300) / 360;
        }
    }

    /// <summary>The object's outline (drawn independently of the motion: an appearance-defined label).</summary>
    internal SyntheticShape ObjectShape => _shape;

    internal SyntheticTexture ObjectTexture => _texture;

    /// <summary>Draws a scene; every value comes from <paramref name="rng"/>.</summary>
    internal static SyntheticScene Create(Random rng, SyntheticMotion motion, int size, int frames, double maxDriftFraction) =>
        new(rng, motion, size, frames, maxDriftFraction);

    /// <summary>The object's pose in frame <paramref name="t"/> (unwrapped centre).</summary>
    internal SyntheticPose PoseAt(int t)
    {
        double u = _frames > 1 ? (double)t / (_frames - 1) : 0;
        double x = _x0, y = _y0, angle = _angle0, scale = 1;
        switch (_motion)
        {
            case SyntheticMotion.MoveLeft or SyntheticMotion.MoveRight or SyntheticMotion.MoveUp or SyntheticMotion.MoveDown:
                x += _dirX * _distance * u;
                y += _dirY * _distance * u;
                break;
            case SyntheticMotion.RotateClockwise:
                angle += _rotation * u;
                break;
            case SyntheticMotion.RotateCounterClockwise:
                angle -= _rotation * u;
                break;
            case SyntheticMotion.Grow:
                scale = Math.Pow(_scaleRatio, u - 0.5);
                break;
            case SyntheticMotion.Shrink:
                scale = Math.Pow(_scaleRatio, 0.5 - u);
                break;
            case SyntheticMotion.OscillateHorizontal:
                x += _amplitude * Math.Sin((2 * Math.PI * _cycles * u) + _phase);
                break;
            case SyntheticMotion.OscillateVertical:
                y += _amplitude * Math.Sin((2 * Math.PI * _cycles * u) + _phase);
                break;
            case SyntheticMotion.OrbitClockwise or SyntheticMotion.OrbitCounterClockwise:
                double sign = _motion == SyntheticMotion.OrbitClockwise ? 1 : -1;
                double a = _phase + (sign * 2 * Math.PI * _cycles * u);
                x += _amplitude * Math.Cos(a);
                y += _amplitude * Math.Sin(a);
                break;
        }

        return new SyntheticPose(x, y, angle, scale);
    }

    /// <summary>Renders frame <paramref name="t"/> into <paramref name="rgb"/> (<c>[H, W, 3]</c>) and <paramref name="mask"/> (<c>[H, W]</c>).</summary>
    internal void Render(int t, byte[] rgb, byte[] mask)
    {
        int s = _size;
        double u = _frames > 1 ? (double)t / (_frames - 1) : 0;
        SyntheticPose pose = PoseAt(t);
        double cx = Mod(pose.X, s), cy = Mod(pose.Y, s);
        double cos = Math.Cos(pose.Angle), sin = Math.Sin(pose.Angle);
        double rx = _radius * pose.Scale;           // long half-axis in pixels
        double reach = (rx * 4 / 3) + 1;            // farthest point of any shape: the triangle's apex at 4/3
        double offX = _margin + (_driftX * u), offY = _margin + (_driftY * u);

        // The background offset is the same for every pixel of a frame, so are the bilinear weights.
        int c = _canvas;
        int bx = (int)Math.Floor(offX), by = (int)Math.Floor(offY);
        double fx = offX - bx, fy = offY - by;
        float w00 = (float)((1 - fx) * (1 - fy)), w01 = (float)(fx * (1 - fy)), w10 = (float)((1 - fx) * fy), w11 = (float)(fx * fy);
        float[] bg = _background;

        Span<double> obj = stackalloc double[3];
        for (int py = 0; py < s; py++)
        {
            for (int px = 0; px < s; px++)
            {
                int o = ((py * s) + px) * 3;
                int q00 = (((py + by) * c) + px + bx) * 3, q01 = q00 + 3, q10 = q00 + (c * 3), q11 = q10 + 3;
                double b0 = (bg[q00] * w00) + (bg[q01] * w01) + (bg[q10] * w10) + (bg[q11] * w11);
                double b1 = (bg[q00 + 1] * w00) + (bg[q01 + 1] * w01) + (bg[q10 + 1] * w10) + (bg[q11 + 1] * w11);
                double b2 = (bg[q00 + 2] * w00) + (bg[q01 + 2] * w01) + (bg[q10 + 2] * w10) + (bg[q11 + 2] * w11);
                mask[(py * s) + px] = 0;
                double dxc = Wrap(px + 0.5 - cx, s), dyc = Wrap(py + 0.5 - cy, s);
                if ((dxc * dxc) + (dyc * dyc) > reach * reach)
                {
                    rgb[o] = ToByte(b0);
                    rgb[o + 1] = ToByte(b1);
                    rgb[o + 2] = ToByte(b2);
                    continue;
                }

                int inside = 0;
                obj.Clear();
                foreach (double sy in SubPixel)
                {
                    foreach (double sx in SubPixel)
                    {
                        double dx = Wrap(px + sx - cx, s), dy = Wrap(py + sy - cy, s);
                        // Into object coordinates: undo rotation, scale the long axis to 1, the short to 1 too.
                        double qx = ((dx * cos) + (dy * sin)) / rx;
                        double qy = ((-dx * sin) + (dy * cos)) / rx * _aspect;
                        if (!Inside(qx, qy))
                        {
                            continue;
                        }

                        inside++;
                        double k = TextureAt(qx, qy);
                        obj[0] += _colorA[0] + ((_colorB[0] - _colorA[0]) * k);
                        obj[1] += _colorA[1] + ((_colorB[1] - _colorA[1]) * k);
                        obj[2] += _colorA[2] + ((_colorB[2] - _colorA[2]) * k);
                    }
                }

                double cover = inside / 4.0;
                rgb[o] = ToByte((b0 * (1 - cover)) + (obj[0] / 4));
                rgb[o + 1] = ToByte((b1 * (1 - cover)) + (obj[1] / 4));
                rgb[o + 2] = ToByte((b2 * (1 - cover)) + (obj[2] / 4));
                mask[(py * s) + px] = inside >= 2 ? (byte)255 : (byte)0;
            }
        }
    }

    private bool Inside(double qx, double qy) => _shape switch
    {
        SyntheticShape.Rectangle => Math.Abs(qx) <= 1 && Math.Abs(qy) <= 1,
        SyntheticShape.Ellipse => (qx * qx) + (qy * qy) <= 1,
        SyntheticShape.Triangle => qx >= -2.0 / 3 && Math.Abs(qy) <= ((4.0 / 3) - qx) / 2, // centroid at the origin, so it spins in place
        SyntheticShape.Diamond => Math.Abs(qx) + Math.Abs(qy) <= 1,
        _ => (Math.Abs(qx) <= 1 && Math.Abs(qy) <= 0.4) || (Math.Abs(qx) <= 0.3 && Math.Abs(qy) <= 1),
    };

    private double TextureAt(double qx, double qy)
    {
        switch (_texture)
        {
            case SyntheticTexture.Stripes:
                double p = ((qx * Math.Cos(_textureAngle)) + (qy * Math.Sin(_textureAngle))) / _texturePeriod;
                return p - Math.Floor(p) < 0.5 ? 0 : 1;
            case SyntheticTexture.Checker:
                long cxk = (long)Math.Floor(qx / _texturePeriod), cyk = (long)Math.Floor(qy / _texturePeriod);
                return ((cxk + cyk) & 1) == 0 ? 0 : 1;
            case SyntheticTexture.Noise:
                // Value noise on a 5×5 lattice over [-1.25, 1.25]², bilinear.
                double gx = Math.Clamp((qx + 1.25) / 2.5 * (NoiseLattice - 1), 0, NoiseLattice - 1.000001);
                double gy = Math.Clamp((qy + 1.25) / 2.5 * (NoiseLattice - 1), 0, NoiseLattice - 1.000001);
                int ix = (int)gx, iy = (int)gy;
                double fx = gx - ix, fy = gy - iy;
                double top = (_noise[(iy * NoiseLattice) + ix] * (1 - fx)) + (_noise[(iy * NoiseLattice) + ix + 1] * fx);
                double bottom = (_noise[((iy + 1) * NoiseLattice) + ix] * (1 - fx)) + (_noise[((iy + 1) * NoiseLattice) + ix + 1] * fx);
                return (top * (1 - fy)) + (bottom * fy);
            default:
                return 0;
        }
    }

    private float[] RenderBackground(Random rng, BackgroundKind kind, double[] a, double[] b)
    {
        int c = _canvas;
        var canvas = new float[c * c * 3];
        int cells = rng.Next(3, 9);
        var lattice = new double[(cells + 1) * (cells + 1)];
        for (int i = 0; i < lattice.Length; i++)
        {
            lattice[i] = rng.NextDouble();
        }

        double angle = Uniform(rng, 0, 2 * Math.PI);
        double period = Uniform(rng, 5, 14) * _size / 64.0;
        double grain = kind == BackgroundKind.Noise ? 12 : 6;
        double ca = Math.Cos(angle), sa = Math.Sin(angle);
        for (int y = 0; y < c; y++)
        {
            for (int x = 0; x < c; x++)
            {
                double k;
                switch (kind)
                {
                    case BackgroundKind.Noise:
                        double gx = (double)x / c * cells, gy = (double)y / c * cells;
                        int ix = Math.Min((int)gx, cells - 1), iy = Math.Min((int)gy, cells - 1);
                        double fx = gx - ix, fy = gy - iy;
                        int w = cells + 1;
                        double top = (lattice[(iy * w) + ix] * (1 - fx)) + (lattice[(iy * w) + ix + 1] * fx);
                        double bottom = (lattice[((iy + 1) * w) + ix] * (1 - fx)) + (lattice[((iy + 1) * w) + ix + 1] * fx);
                        k = (top * (1 - fy)) + (bottom * fy);
                        break;
                    case BackgroundKind.Gradient:
                        k = Math.Clamp(0.5 + ((((x - (c / 2.0)) * ca) + ((y - (c / 2.0)) * sa)) / c), 0, 1);
                        break;
                    case BackgroundKind.Stripes:
                        double p = ((x * ca) + (y * sa)) / period;
                        k = p - Math.Floor(p) < 0.5 ? 0 : 1;
                        break;
                    default:
                        k = ((((int)Math.Floor(x / period)) + ((int)Math.Floor(y / period))) & 1) == 0 ? 0 : 1;
                        break;
                }

                int o = ((y * c) + x) * 3;
                for (int ch = 0; ch < 3; ch++)
                {
                    double v = a[ch] + ((b[ch] - a[ch]) * k) + ((rng.NextDouble() - 0.5) * 2 * grain);
                    canvas[o + ch] = (float)Math.Clamp(v, 0, 255);
                }
            }
        }

        return canvas;
    }

    private static double Uniform(Random rng, double lo, double hi) => lo + ((hi - lo) * rng.NextDouble());

    private static void RandomColor(Random rng, double[] c)
    {
        for (int i = 0; i < 3; i++)
        {
            c[i] = rng.Next(256);
        }
    }

    private static void Near(Random rng, double[] from, double[] to, double spread)
    {
        for (int i = 0; i < 3; i++)
        {
            to[i] = Math.Clamp(from[i] + Uniform(rng, -spread, spread), 0, 255);
        }
    }

    private static double Distance(double[] a, double[] b) =>
        Math.Sqrt(((a[0] - b[0]) * (a[0] - b[0])) + ((a[1] - b[1]) * (a[1] - b[1])) + ((a[2] - b[2]) * (a[2] - b[2])));

    private static double Mod(double v, double m) => v - (m * Math.Floor(v / m));

    /// <summary>Shortest signed offset on a circle of circumference <paramref name="m"/>.</summary>
    /// <remarks><paramref name="d"/> is a difference of two values in [0, m), so it lies in (−m, m).</remarks>
    private static double Wrap(double d, double m) => d > m / 2 ? d - m : d < -m / 2 ? d + m : d;

    private static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}
