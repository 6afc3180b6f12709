namespace ConstCl.Core.Tests.Runtime;

/// <summary>
/// No TorchSharp <c>Scalar</c> in ConstCl.Core is owned by the finalizer alone (issue 14 item 2: a run died after ~1,700
/// steps when one was freed mid-call). See <see cref="ScalarLifetimeAudit"/> for what is flagged and why.
/// </summary>
public class ScalarLifetimeAuditTests
{
    [Fact]
    public void ConstClCoreCreatesNoFinalizerOwnedScalars()
    {
        var root = RepositoryRoot.Find();
        var core = Path.Combine(root, "src", "ConstCl.Core");
        var sources = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(core, f)))
            .ToList();
        Assert.NotEmpty(sources);

        var (errors, findings) = ScalarLifetimeAudit.Run(root, sources, ["src/ConstCl.Core/"]);

        // Without a complete semantic model a conversion could go unseen: the source must compile here as it does in the build.
        Assert.True(errors.Count == 0, "ConstCl.Core does not compile inside the audit:\n" + string.Join("\n", errors.Take(20)));
        Assert.True(
            findings.Count == 0,
            $"{findings.Count} TorchSharp Scalar(s) only the finalizer frees (a GC can free one while libtorch reads it). " +
            "Use Ops.Scalars' constants, a `using var s = x.ToScalar();` local, or an overload with every Scalar explicit:\n" +
            string.Join("\n", findings));
    }

    [Fact]
    public void AuditFlagsEachKindOfFinalizerOwnedScalarAndAcceptsKeptAliveOnes()
    {
        // Lines ending in "// flagged" must be reported, and no others.
        const string source = """
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;

            internal static class Sample
            {
                private static readonly Scalar Kept = 2.ToScalar();
                private static Scalar notReadOnly = 3.ToScalar(); // flagged
                private static readonly Scalar Implicit = 4; // flagged

                public static Tensor Run(Tensor t, Tensor u, BatchNorm3d bn, Linear linear)
                {
                    using var half = 0.5.ToScalar();
                    using (var quarter = 0.25.ToScalar())
                    {
                        t = t.mul(quarter);
                    }

                    var a = t.mul(0.5); // flagged
                    var b = t.add(u); // flagged
                    var c = t + u; // flagged
                    var d = t * 3.0; // flagged
                    var e = t.mul(0.25.ToScalar()); // flagged
                    var f = bn.forward(t); // flagged
                    var g = bn.call(t); // flagged
                    var h = arange(4L); // flagged
                    var i = t.square(); // flagged
                    var j = t.mul(half).add(u, Kept).sub(u).mul(u) - u;
                    var k = linear.call(t.masked_fill(t.gt(Kept), half));
                    var l = torch.arange(Kept, Kept, Kept);
                    return j;
                }
            }
            """;
        var expected = source.Split('\n')
            .Select((line, index) => (line, number: index + 1))
            .Where(x => x.line.TrimEnd().EndsWith("// flagged", StringComparison.Ordinal))
            .Select(x => x.number)
            .ToHashSet();

        var findings = ScalarLifetimeAudit.AuditSnippet(source);

        var reported = findings.Select(f => int.Parse(f.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.True(
            expected.SetEquals(reported),
            $"expected lines {string.Join(", ", expected.Order())}; reported:\n{string.Join("\n", findings)}");
    }

    private static bool IsBuildOutput(string relative)
    {
        var first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }
}
