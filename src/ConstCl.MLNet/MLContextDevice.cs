using ConstCl.Runtime;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;

namespace ConstCl.MLNet;

/// <summary>
/// Where the ML.NET components run the network, as ML.NET users set it: <c>MLContext.GpuDeviceId</c> (null: the CPU) and
/// <c>MLContext.FallbackToCpu</c>, the same two settings ML.NET's own ONNX and TorchSharp components read.
/// </summary>
internal static class MLContextDevice
{
    /// <summary>
    /// <c>cuda:GpuDeviceId</c> when the context names a GPU and the loaded libtorch can run it; the CPU when it names none.
    /// When it names a GPU the back-end cannot run: the CPU with a warning through <c>MLContext.Log</c> if
    /// <c>FallbackToCpu</c> is set, otherwise the back-end's error (it names the CUDA package to reference).
    /// </summary>
    /// <exception cref="InvalidOperationException">A GPU was asked for, none is usable, and <c>FallbackToCpu</c> is off.</exception>
    internal static ComputeDevice Resolve(MLContext ml, IHost host)
    {
        if (ml.GpuDeviceId is not int id)
        {
            return ComputeDevice.Cpu;
        }

        var device = ComputeDevice.Cuda(id);
        TorchRuntime.Initialize();
        try
        {
            TorchRuntime.Resolve(device);
            return device;
        }
        catch (InvalidOperationException ex) when (ml.FallbackToCpu)
        {
            using var channel = host.Start("Device");
            channel.Warning(MessageSensitivity.None, $"MLContext.GpuDeviceId = {id}, but the network cannot run there: {ex.Message} Running on the CPU (MLContext.FallbackToCpu).");
            return ComputeDevice.Cpu;
        }
    }

    /// <summary>
    /// The GPU the saved model's ONNX Runtime step should use: <c>GpuDeviceId</c> when the loaded ONNX Runtime has its CUDA
    /// provider; otherwise null (the CPU) with a warning if <c>FallbackToCpu</c> is set, else an error naming the package.
    /// (ML.NET's own fallback does not catch the missing native entry point of a CPU-only ONNX Runtime.)
    /// </summary>
    /// <exception cref="InvalidOperationException">A GPU was asked for, ONNX Runtime has no CUDA provider, and <c>FallbackToCpu</c> is off.</exception>
    internal static int? OnnxGpuDeviceId(MLContext ml, IHost host)
    {
        if (ml.GpuDeviceId is not int id)
        {
            return null;
        }

        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            return id;
        }

        var message = $"MLContext.GpuDeviceId = {id}, but the loaded ONNX Runtime has no CUDA provider (reference Microsoft.ML.OnnxRuntime.Gpu instead of Microsoft.ML.OnnxRuntime).";
        if (!ml.FallbackToCpu)
        {
            throw new InvalidOperationException(message + " Set MLContext.FallbackToCpu to score the saved model on the CPU.");
        }

        using var channel = host.Start("Device");
        channel.Warning(MessageSensitivity.None, message + " The saved model scores on the CPU (MLContext.FallbackToCpu).");
        return null;
    }
}
