using ConstCl.Core.Tests.Training;

namespace ConstCl.Core.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test starts this assembly as a child process
/// (<c>dotnet exec ConstCl.Core.Tests.dll &lt;task&gt; …</c>) to run something under its own runtime settings; the test
/// runner never calls it. It replaces the empty one Microsoft.NET.Test.Sdk would generate (GenerateProgramFile=false).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is [ScalarStressTests.ChildTask, .. var rest])
        {
            return ScalarStressTests.RunChild(rest);
        }

        Console.Error.WriteLine($"usage: ConstCl.Core.Tests {ScalarStressTests.ChildTask} <args> (for the tests' child processes only)");
        return 2;
    }
}
