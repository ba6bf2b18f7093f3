using Backprop.Activations;
using Backprop.Kernels;
using Backprop.Numerics;
using Backprop.Optimizers;
using BenchmarkDotNet.Attributes;

namespace Backprop.Bench.Micro;

/// <summary>
/// The three products of a dense layer at the shapes W3 and W4 train with, on one or two threads and
/// two vector widths.
/// Shape (n, din, dout): x [n, din], w [dout, din], z and d [n, dout].
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _x = [], _w = [], _b = [], _z = [], _d = [], _dw = [], _db = [], _dx = [];

    [Params("256x10x128", "256x128x128", "256x128x1", "512x512x1024", "512x1024x1024", "512x1024x1")]
    public string Shape { get; set; } = "256x10x128";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    // 0: the widest vectors the machine runs natively (512 bits with AVX-512); 256: AVX2-width tiles.
    [Params(0, 256)]
    public int VectorBits { get; set; }

    // Parsed once in Setup so that the measured calls allocate and parse nothing themselves.
    private int _n, _din, _dout;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        float[] Fill(int count) => Enumerable.Range(0, count).Select(_ => (float)rng.NextDouble(-1, 1)).ToArray();
        int[] dims = Shape.Split('x').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (int n, int din, int dout) = (_n, _din, _dout) = (dims[0], dims[1], dims[2]);
        _x = Fill(n * din);
        _w = Fill(dout * din);
        _b = Fill(dout);
        _z = new float[n * dout];
        _d = Fill(n * dout);
        _dw = new float[dout * din];
        _db = new float[dout];
        _dx = new float[n * din];
    }

    // z: [n, dout] = x . w^T + b
    [Benchmark]
    public void Forward() => Gemm.Forward<float>(_z, _x, _w, _b, _n, _din, _dout, Threads, VectorBits);

    // dw: [dout, din] = d^T . x, db = column sums of d
    [Benchmark]
    public void WeightGradient() => Gemm.WeightGradient<float>(_dw, _db, _d, _x, _n, _din, _dout, Threads, VectorBits);

    // dx: [n, din] = d . w
    [Benchmark]
    public void InputGradient() => Gemm.InputGradient<float>(_dx, _d, _w, _n, _din, _dout, Threads, VectorBits);
}

/// <summary>Activation forward and backward over a W3 hidden layer's batch (256 x 128).</summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private const int Count = 256 * 128;
    private readonly float[] _z = new float[Count], _a = new float[Count], _delta = new float[Count], _deltaSource = new float[Count];

    [Params(Activation.Relu, Activation.Tanh, Activation.Sigmoid)]
    public Activation Kind { get; set; } = Activation.Relu;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(2);
        for (int i = 0; i < Count; i++)
        {
            _z[i] = (float)rng.NextDouble(-3, 3);
            _deltaSource[i] = (float)rng.NextDouble(-1, 1);
        }
        ActivationFunctions.Forward<float>(Kind, _a, _z);
    }

    // a = g(z)
    [Benchmark]
    public void Forward() => ActivationFunctions.Forward<float>(Kind, _a, _z);

    // delta *= g'(z), on a fresh copy of delta each time: multiplying the same buffer over and over
    // would drive it into denormals and time those instead (the copy is part of the figure).
    [Benchmark]
    public void Backward()
    {
        _deltaSource.CopyTo(_delta, 0);
        ActivationFunctions.Backward<float>(Kind, _delta, _z, _a);
    }
}

/// <summary>One Adam step over W4's 1,573,889 parameters.</summary>
[MemoryDiagnoser]
public class OptimizerBenchmarks
{
    private const int Count = 512 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 + 1;
    private readonly float[] _parameters = new float[Count], _gradients = new float[Count];
    private readonly Adam<float> _adam = new(Count);
    private readonly GradientDescent<float> _sgd = new(Count);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(3);
        for (int i = 0; i < Count; i++)
        {
            _parameters[i] = (float)rng.NextDouble(-0.1, 0.1);
            _gradients[i] = (float)rng.NextDouble(-1e-3, 1e-3);
        }
    }

    [Benchmark]
    public void AdamStep() => _adam.Step(_parameters, _gradients, 1e-3);

    [Benchmark]
    public void GradientDescentStep() => _sgd.Step(_parameters, _gradients, 1e-3);
}
