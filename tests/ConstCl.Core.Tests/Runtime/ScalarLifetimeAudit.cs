using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConstCl.Core.Tests.Runtime;

/// <summary>
/// Finds every <see cref="TorchSharp.Scalar"/> in C# source whose only owner is the finalizer. TorchSharp frees a Scalar's
/// native handle in its finalizer; a temporary (an implicit conversion such as <c>t.mul(0.5)</c>, or one that a TorchSharp
/// overload makes inside itself, such as the alpha of <c>add(Tensor)</c>) may be judged dead by the JIT while libtorch still
/// reads it, and a GC then frees it mid-call (seen as "alpha must not be a floating point number" or a failed
/// <c>Scalar::toFloat</c>). A Scalar is safe only when something keeps it alive across the call: a <c>using</c> local or a
/// <c>static readonly</c> field.
/// </summary>
/// <remarks>
/// Three findings, each <c>path:line: message</c>:
/// <list type="number">
/// <item>an implicit user-defined conversion to Scalar (always: write the Scalar out explicitly);</item>
/// <item>an explicit Scalar creation (<c>ToScalar()</c>, a cast) that is neither a <c>using</c> local's initialiser nor a
/// <c>static readonly</c> field's;</item>
/// <item>a call into TorchSharp whose body (read from TorchSharp.dll's IL, transitively) creates a Scalar it does not hand
/// back, e.g. <c>Tensor.add(Tensor)</c> (alpha 1), <c>operator +(Tensor, Tensor)</c> and <c>BatchNorm.forward</c>
/// (<c>num_batches_tracked.add_(1)</c>); a module's <c>call</c>/<c>forward</c> is judged by the receiver's forward override.</item>
/// </list>
/// Blind spot: what a container (<c>Sequential</c>, <c>ModuleList</c>) holds is only known at run time, so a TorchSharp
/// module inside one is not seen; ConstCl's containers hold ConstCl modules (audited) and <c>SafeBatchNorm</c>.
/// </remarks>
internal static class ScalarLifetimeAudit
{
    private const string ScalarTypeName = "TorchSharp.Scalar";

    /// <summary>Compiles <paramref name="allSources"/> (a whole project) and audits the files under any of
    /// <paramref name="auditedPrefixes"/> (paths relative to <paramref name="root"/>, '/' separated).</summary>
    /// <returns>The compiler errors (the audit is only trustworthy without any) and the findings.</returns>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Findings) Run(
        string root, IEnumerable<string> allSources, IReadOnlyCollection<string> auditedPrefixes)
    {
        var trees = allSources
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path))
            .ToList();
        return Audit(root, trees, auditedPrefixes);
    }

    /// <summary>Audits in-memory sources (every tree is audited); used by the self-test.</summary>
    public static IReadOnlyList<string> AuditSnippet(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, "snippet.cs");
        var (errors, findings) = Audit("", [tree], [""]);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The snippet does not compile:\n" + string.Join("\n", errors));
        }

        return findings;
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    // The SDK's implicit global usings (ImplicitUsings=enable in Directory.Build.props).
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static (IReadOnlyList<string> Errors, IReadOnlyList<string> Findings) Audit(
        string root, List<SyntaxTree> trees, IReadOnlyCollection<string> auditedPrefixes)
    {
        var compilation = CSharpCompilation.Create(
            "ScalarLifetimeAudit",
            [.. trees, CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, "GlobalUsings.g.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        // [GeneratedRegex] partial members have no body without the source generator; nothing else may fail to bind.
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795")
            .Select(d => d.ToString())
            .ToList();

        var torchSharp = compilation.References
            .Select(compilation.GetAssemblyOrModuleSymbol)
            .OfType<IAssemblySymbol>()
            .Single(a => a.Name == "TorchSharp");
        var il = TorchSharpCode.Value;
        var findings = new List<string>();
        foreach (var tree in trees)
        {
            var relative = root.Length == 0 ? tree.FilePath : Path.GetRelativePath(root, tree.FilePath).Replace('\\', '/');
            if (!auditedPrefixes.Any(p => relative.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            var walker = new Walker(torchSharp, il, relative, findings);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                // Roots only (field initialisers, member bodies, …); their descendants are walked below.
                if (model.GetOperation(node) is { Parent: null } operation)
                {
                    walker.Visit(operation);
                }
            }
        }

        return (errors, findings.Distinct().ToList());
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The framework the tests run on, then every managed assembly beside the test (ConstCl.Core's dependencies);
        // ConstCl.Core itself comes from source.
        var files = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        files.AddRange(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"));
        var byName = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (byName.ContainsKey(name) || name.StartsWith("ConstCl.", StringComparison.Ordinal) || !IsManaged(file))
            {
                continue;
            }

            byName[name] = MetadataReference.CreateFromFile(file);
        }

        return [.. byName.Values];
    });

    private static bool IsManaged(string file)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(file));
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static readonly Lazy<TorchSharpIl> TorchSharpCode = new(() => TorchSharpIl.Read(typeof(TorchSharp.Scalar).Assembly.Location));

    /// <summary>Which TorchSharp methods create Scalars, read from the IL of TorchSharp.dll.</summary>
    private sealed class TorchSharpIl
    {
        /// <summary>Methods (by metadata token) that return a Scalar they created: the caller owns it.</summary>
        public HashSet<int> Creators { get; } = [];

        /// <summary>Methods that create a Scalar (directly or through callees) and do not hand it back.</summary>
        public HashSet<int> Hazards { get; } = [];

        public static TorchSharpIl Read(string path)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            var scalar = md.TypeDefinitions.Single(h =>
            {
                var t = md.GetTypeDefinition(h);
                return md.GetString(t.Namespace) == "TorchSharp" && md.GetString(t.Name) == "Scalar";
            });
            var scalarDef = md.GetTypeDefinition(scalar);
            var scalarDispose = scalarDef.GetMethods().Single(h => md.GetString(md.GetMethodDefinition(h).Name) == "Dispose" && md.GetMethodDefinition(h).GetParameters().Count == 0);

            var calls = new Dictionary<int, HashSet<int>>();
            var returnsScalar = new HashSet<int>();
            var disposes = new HashSet<int>();
            foreach (var handle in md.MethodDefinitions)
            {
                var method = md.GetMethodDefinition(handle);
                var token = MetadataTokens.GetToken(handle);
                if (ReturnsScalar(md, method, scalar))
                {
                    returnsScalar.Add(token);
                }

                var callees = new HashSet<int>();
                if (method.RelativeVirtualAddress != 0)
                {
                    foreach (var callee in Callees(md, pe.GetMethodBody(method.RelativeVirtualAddress)))
                    {
                        callees.Add(callee);
                    }
                }

                if (callees.Contains(MetadataTokens.GetToken(scalarDispose)))
                {
                    disposes.Add(token);
                }

                calls[token] = callees;
            }

            var result = new TorchSharpIl();
            foreach (var ctor in scalarDef.GetMethods().Where(h => md.GetString(md.GetMethodDefinition(h).Name) == ".ctor"))
            {
                result.Creators.Add(MetadataTokens.GetToken(ctor));
            }

            // Fixed point: a method that calls a creator either returns the Scalar (creator) or leaves it to the finalizer
            // (hazard; unless it disposes Scalars itself); a method that calls a hazard is one.
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (token, callees) in calls)
                {
                    if (result.Creators.Contains(token) || result.Hazards.Contains(token))
                    {
                        continue;
                    }

                    var creates = callees.Any(result.Creators.Contains);
                    if ((creates && returnsScalar.Contains(token) && result.Creators.Add(token))
                        || (creates && !returnsScalar.Contains(token) && !disposes.Contains(token) && result.Hazards.Add(token))
                        || (callees.Any(result.Hazards.Contains) && result.Hazards.Add(token)))
                    {
                        changed = true;
                    }
                }
            }

            return result;
        }

        private static bool ReturnsScalar(MetadataReader md, MethodDefinition method, TypeDefinitionHandle scalar)
        {
            var blob = md.GetBlobReader(method.Signature);
            var header = blob.ReadSignatureHeader();
            if (header.IsGeneric)
            {
                blob.ReadCompressedInteger();
            }

            blob.ReadCompressedInteger(); // parameter count
            var code = blob.ReadSignatureTypeCode();
            return code == SignatureTypeCode.TypeHandle && blob.ReadTypeHandle() is { Kind: HandleKind.TypeDefinition } t && (TypeDefinitionHandle)t == scalar;
        }

        private static IEnumerable<int> Callees(MetadataReader md, MethodBodyBlock body)
        {
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                int value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = 0xFE00 | il.ReadByte();
                }

                var opCode = OpCodesByValue[(ushort)value];
                switch (opCode.OperandType)
                {
                    case OperandType.InlineMethod:
                        var token = il.ReadInt32();
                        if (Resolve(md, MetadataTokens.EntityHandle(token)) is { } def)
                        {
                            yield return def;
                        }

                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        var count = il.ReadInt32();
                        il.Offset += 4 * count;
                        break;
                    default:
                        il.Offset += 4;
                        break;
                }
            }
        }

        // Calls into TorchSharp itself: method definitions, generic instantiations of them, and members of TorchSharp's
        // generic types (a member reference whose parent is a type spec over a TorchSharp type, matched by name and signature).
        private static int? Resolve(MetadataReader md, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    return MetadataTokens.GetToken(handle);
                case HandleKind.MethodSpecification:
                    return Resolve(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
                case HandleKind.MemberReference:
                    var reference = md.GetMemberReference((MemberReferenceHandle)handle);
                    if (reference.Parent.Kind != HandleKind.TypeSpecification)
                    {
                        return null;
                    }

                    var spec = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).Signature);
                    if (spec.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                    {
                        return null;
                    }

                    spec.ReadSignatureTypeCode();
                    if (spec.ReadTypeHandle() is not { Kind: HandleKind.TypeDefinition } generic)
                    {
                        return null;
                    }

                    var name = md.GetString(reference.Name);
                    var signature = md.GetBlobContent(reference.Signature);
                    foreach (var m in md.GetTypeDefinition((TypeDefinitionHandle)generic).GetMethods())
                    {
                        var def = md.GetMethodDefinition(m);
                        if (md.GetString(def.Name) == name && md.GetBlobContent(def.Signature).SequenceEqual(signature))
                        {
                            return MetadataTokens.GetToken(m);
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => (ushort)o.Value);
    }

    private sealed class Walker(IAssemblySymbol torchSharp, TorchSharpIl il, string path, List<string> findings)
    {
        public void Visit(IOperation operation)
        {
            Check(operation);
            foreach (var child in operation.ChildOperations)
            {
                Visit(child);
            }
        }

        private void Check(IOperation operation)
        {
            switch (operation)
            {
                case IConversionOperation { OperatorMethod: { } op } conversion when IsScalar(conversion.Type):
                    if (conversion.Conversion.IsImplicit)
                    {
                        Report(operation, $"implicit conversion {Describe(conversion.Operand.Type)} → Scalar; create the Scalar explicitly and keep it alive (`using var s = x.ToScalar();` or a `static readonly` field)");
                    }
                    else if (!IsKeptAlive(operation))
                    {
                        Report(operation, "a Scalar cast that nothing keeps alive; assign it to a `using` local or a `static readonly` field");
                    }

                    CheckTorchSharpMethod(operation, op);
                    break;
                case IInvocationOperation invocation:
                    var target = invocation.TargetMethod;
                    if (IsTorchSharp(target) && il.Creators.Contains(Token(target)))
                    {
                        if (!IsKeptAlive(operation))
                        {
                            Report(operation, $"{target.Name}() creates a Scalar that nothing keeps alive; assign it to a `using` local or a `static readonly` field");
                        }
                    }
                    else
                    {
                        CheckTorchSharpMethod(operation, target);
                    }

                    if (target.Name is "call" or "forward" && IsTorchSharp(target) && invocation.Instance?.Type is INamedTypeSymbol receiver)
                    {
                        CheckForwardOverride(operation, receiver, invocation.Arguments.Length);
                    }

                    break;
                case IBinaryOperation { OperatorMethod: { } op }:
                    CheckTorchSharpMethod(operation, op);
                    break;
                case IUnaryOperation { OperatorMethod: { } op }:
                    CheckTorchSharpMethod(operation, op);
                    break;
                case ICompoundAssignmentOperation { OperatorMethod: { } op }:
                    CheckTorchSharpMethod(operation, op);
                    break;
                case IIncrementOrDecrementOperation { OperatorMethod: { } op }:
                    CheckTorchSharpMethod(operation, op);
                    break;
                case IObjectCreationOperation { Constructor: { } ctor }:
                    CheckTorchSharpMethod(operation, ctor);
                    break;
                case IPropertyReferenceOperation property:
                    if (property.Property.GetMethod is { } getter)
                    {
                        CheckTorchSharpMethod(operation, getter);
                    }

                    break;
                case IMethodReferenceOperation reference:
                    CheckTorchSharpMethod(operation, reference.Method);
                    break;
            }
        }

        private void CheckForwardOverride(IOperation operation, INamedTypeSymbol receiver, int arity)
        {
            for (var type = receiver; type is not null; type = type.BaseType)
            {
                var forward = type.GetMembers("forward").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == arity && !m.IsAbstract);
                if (forward is null)
                {
                    continue;
                }

                if (IsTorchSharp(forward) && il.Hazards.Contains(Token(forward)))
                {
                    Report(operation, $"{Describe(type)}.forward creates a Scalar inside TorchSharp that only the finalizer frees; use a module that passes kept-alive Scalars");
                }

                return;
            }
        }

        private void CheckTorchSharpMethod(IOperation operation, IMethodSymbol method)
        {
            if (IsTorchSharp(method) && il.Hazards.Contains(Token(method)))
            {
                Report(operation, $"TorchSharp's {Describe(method)} creates a Scalar that only the finalizer frees; call an overload that takes every Scalar explicitly (e.g. add(t, alpha) rather than add(t) or +)");
            }
        }

        private bool IsTorchSharp(IMethodSymbol method) =>
            SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, torchSharp);

        private static int Token(IMethodSymbol method) => (method.ReducedFrom ?? method).OriginalDefinition.MetadataToken;

        private static bool IsScalar(ITypeSymbol? type) => type?.ToDisplayString() == ScalarTypeName;

        /// <summary>A Scalar is kept alive when it initialises a <c>using</c> local or a <c>static readonly</c> field.</summary>
        private static bool IsKeptAlive(IOperation creation)
        {
            var parent = creation.Parent;
            while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            return parent switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation group } } } =>
                    group.Parent is IUsingDeclarationOperation or IUsingOperation,
                IFieldInitializerOperation field => field.InitializedFields.All(f => f.IsStatic && f.IsReadOnly),
                _ => false,
            };
        }

        private void Report(IOperation operation, string message)
        {
            var line = operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            findings.Add($"{path}:{line}: {message}: `{Shorten(operation.Syntax.ToString())}`");
        }

        private static string Shorten(string code)
        {
            code = string.Join(' ', code.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return code.Length <= 80 ? code : code[..77] + "...";
        }

        private static string Describe(ISymbol? symbol) =>
            symbol?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "?";
    }
}
