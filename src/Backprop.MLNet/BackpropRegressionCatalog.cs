using Backprop.Regression;
using Microsoft.ML;

namespace Backprop.MLNet;

/// <summary>Backprop's trainer in ML.NET's trainer catalog.</summary>
public static class BackpropRegressionCatalog
{
    /// <summary>
    /// A multilayer perceptron fitted by backpropagation (<see cref="MlpRegressor"/>) on a known-size
    /// vector of floats and a float label, as ML.NET's regression trainers take them; its
    /// transformer adds a float <c>Score</c> column, so <c>mlContext.Regression.Evaluate</c> scores it.
    /// </summary>
    /// <param name="catalog">The regression trainers of an <see cref="MLContext"/>.</param>
    /// <param name="labelColumnName">The label column, of floats.</param>
    /// <param name="featureColumnName">The features column: a vector of floats of known size (e.g. from <c>Transforms.Concatenate</c>).</param>
    /// <param name="options">The network, the optimizer and the run; null for <see cref="MlpRegressor"/>'s defaults. Validated here.</param>
    /// <exception cref="ArgumentNullException">The catalog is null.</exception>
    /// <exception cref="ArgumentException">A column name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public static BackpropRegressionEstimator Backprop(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", RegressorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BackpropRegressionEstimator(labelColumnName, featureColumnName, options ?? new RegressorOptions());
    }
}
