using ConstCl.Runtime;
using TorchSharp;

namespace ConstCl.Core.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void NativeBackendLoadsAndComputes()
    {
        TorchRuntime.Initialize(2);
        Assert.StartsWith("2.10", TorchRuntime.LibTorchVersion);
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        // [[0,1,2],[3,4,5]] · its transpose = [[5,14],[14,50]]
        Assert.Equal(new float[] { 5, 14, 14, 50 }, b.data<float>().ToArray());
    }
}
