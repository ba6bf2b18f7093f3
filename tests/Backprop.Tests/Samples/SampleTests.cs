using Backprop.Tests.Cli;

namespace Backprop.Tests.Samples;

// The sample programs under samples/ are built with the solution and run here, so they never rot.
public sealed class SampleTests
{
    [Fact]
    public void FitCsv_prints_metrics_on_the_diabetes_sample()
    {
        var output = new StringWriter();
        Assert.Equal(0, Backprop.Samples.FitCsv.Program.Run(CliHarness.Sample("diabetes.csv"), "target", epochs: 30, output));
        string text = output.ToString();
        Assert.Contains("diabetes.csv: 354 training rows, 88 test rows, 10 inputs", text);
        Assert.Contains("test   R2 ", text);
        Assert.Contains("first test row: predicted ", text);
    }

    [Fact]
    public void SeedStepByStep_prints_the_derivations_first_step()
    {
        var output = new StringWriter();
        Assert.Equal(0, Backprop.Samples.SeedStepByStep.Program.Run(2, output));
        string text = output.ToString();
        // docs/derivation.md, section 2, to 7 significant digits.
        Assert.Contains("z1 = -1.462543  a1 = 0.1880787  a2 = 0.09403934  a2 - y = 0.3436403  L = 0.05904434", text);
        Assert.Contains("dL/dw1 = -0.07674787  dL/db1 = 0.02623782  dL/dw2 = 0.06463143  dL/db2 = 0.3436403", text);
        Assert.Contains("w1 = 0.5038374  b1 = -0.001311891  w2 = 0.4967684  b2 = -0.01718202", text);
        Assert.Contains("step 2", text);
    }

    [Fact]
    public void MLNetPipeline_fits_evaluates_and_loads_the_same_model_again()
    {
        var output = new StringWriter();
        string zip = Path.Combine(Path.GetTempPath(), "backprop-mlnet-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            Assert.Equal(0, Backprop.Samples.MLNetPipeline.Program.Run(output, zip));
        }
        finally
        {
            File.Delete(zip);
        }
        string text = output.ToString();
        Assert.Contains("test R2 ", text);
        Assert.Contains("test R2 ", text[text.IndexOf("loaded from", StringComparison.Ordinal)..]);
    }
}
