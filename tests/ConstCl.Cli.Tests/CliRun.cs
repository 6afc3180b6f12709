using System.CommandLine;

namespace ConstCl.Cli.Tests;

/// <summary>Runs the tool in-process as the process does (<see cref="Program.Run"/>), capturing both streams.</summary>
internal static class CliRun
{
    /// <summary>Exit code, standard output and standard error of <c>constcl ARGS</c>; no stack-trace line may reach either stream.</summary>
    internal static (int Code, string Out, string Err) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        Assert.DoesNotContain("   at ", output.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
        return (code, output.ToString(), error.ToString());
    }
}
