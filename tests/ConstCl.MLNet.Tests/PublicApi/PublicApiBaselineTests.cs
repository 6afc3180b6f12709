using System.Reflection;
using System.Text;

namespace ConstCl.MLNet.Tests.PublicApi;

/// <summary>
/// The public surface of the two libraries is pinned in TestData/PublicApi/*.txt (issue 12: "a public-API baseline file
/// checked by a test"): adding, removing or changing a public type or member fails here until the baseline is
/// regenerated on purpose (CONSTCL_WRITE_GOLDEN=1) and the diff reviewed with the change.
/// </summary>
public class PublicApiBaselineTests
{
    [Theory]
    [InlineData("ConstCl.Core")]
    [InlineData("ConstCl.MLNet")]
    public void PublicSurfaceMatchesTheBaseline(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var actual = Describe(assembly);
        var file = $"{assemblyName}.txt";
        if (Environment.GetEnvironmentVariable("CONSTCL_WRITE_GOLDEN") == "1")
        {
            var source = Path.Combine(FindRepoRoot(), "tests", "ConstCl.MLNet.Tests", "TestData", "PublicApi", file);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source + ".tmp", actual);
            File.Move(source + ".tmp", source, overwrite: true);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "PublicApi", file)).Replace("\r\n", "\n");
        if (expected != actual)
        {
            var before = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
            var after = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
            var added = after.Except(before).Take(15).Select(l => "+ " + l);
            var removed = before.Except(after).Take(15).Select(l => "- " + l);
            Assert.Fail($"The public API of {assemblyName} changed (regenerate TestData/PublicApi/{file} with CONSTCL_WRITE_GOLDEN=1 if intended):\n{string.Join('\n', removed.Concat(added))}");
        }
    }

    [Fact]
    public void TheDescriptionSeesMembersAndIgnoresInternals()
    {
        var text = Describe(typeof(ConstCl.Interop.WeightsExchange).Assembly);
        Assert.Contains("class ConstCl.Interop.WeightsExchange", text);
        Assert.Contains("  method static ConstCl.Interop.WeightsContent ImportInto(ConstCl.Modeling.ConstClModel, System.String)", text);
        Assert.DoesNotContain("SafetensorsFile", text);   // internal
    }

    /// <summary>One line per public type, then one indented line per public or protected member declared on it, sorted.</summary>
    internal static string Describe(Assembly assembly)
    {
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.Append(Kind(type)).Append(' ').Append(Name(type));
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) && !type.IsEnum)
            {
                sb.Append(" : ").Append(Name(baseType));
            }

            sb.Append('\n');
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(flags).Where(IsVisible).Select(Member).Where(m => m is not null).Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                sb.Append("  ").Append(member).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(t) ? "delegate" : t.IsAbstract && t.IsSealed ? "static class" : "class";

    private static bool IsVisible(MemberInfo m) => m switch
    {
        MethodBase b => (b.IsPublic || b.IsFamily || b.IsFamilyOrAssembly) && !(b is MethodInfo { IsSpecialName: true }),
        FieldInfo f => (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } a && (a.IsPublic || a.IsFamily),
        Type nested => false,   // nested public types are listed as types of their own
        _ => false,
    };

    private static string? Member(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"ctor{(c.IsStatic ? " static" : "")}({Parameters(c)})",
        MethodInfo mi => $"method {(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}{(mi.IsGenericMethodDefinition ? $"<{mi.GetGenericArguments().Length}>" : "")}({Parameters(mi)})",
        PropertyInfo p => $"property {Name(p.PropertyType)} {p.Name}{(p.GetIndexParameters().Length > 0 ? $"[{string.Join(", ", p.GetIndexParameters().Select(i => Name(i.ParameterType)))}]" : "")} {{{(p.GetMethod is { } g && (g.IsPublic || g.IsFamily) ? " get;" : "")}{(p.SetMethod is { } s && (s.IsPublic || s.IsFamily) ? (s.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : "")} }}",
        FieldInfo f => $"field {(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "")}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        _ => null,
    };

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
        (p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "") + Name(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType) + (p.HasDefaultValue ? " = " + Literal(p.DefaultValue) : "")));

    /// <summary>A constant or default value, culture-independent (the baseline must not depend on the machine's locale).</summary>
    private static string Literal(object? value) => value is null ? "null" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;

    private static string Name(Type t)
    {
        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        }

        var name = (t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : t.Namespace + "." + t.Name);
        if (t.IsGenericType)
        {
            int tick = name.IndexOf('`');
            name = (tick >= 0 ? name[..tick] : name) + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConstCl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ConstCl.sln not found above the test output folder.");
    }
}
