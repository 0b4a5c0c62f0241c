using BenchmarkDotNet.Running;

namespace FaceDefender.Benchmarks;

/// <summary>Runs the benchmarks named by the arguments, e.g. <c>--filter *Warp*</c> (see docs/benchmarks.md).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
