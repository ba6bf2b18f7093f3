using Backprop.Regression;

namespace Backprop.Serialization;

/// <summary>
/// <c>model.Save(path)</c> and <c>MlpRegressor.Load(path)</c>. They live here, not in the
/// regressor, so that the file format depends on the model and never the other way round.
/// </summary>
public static class MlpRegressorFileExtensions
{
    extension(MlpRegressor model)
    {
        /// <summary>Writes the fitted model to <paramref name="path"/> as versioned JSON, atomically (see docs/model-format.md).</summary>
        /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
        /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
        public void Save(string path) => ModelFile.Save(model, path);
    }

    extension(MlpRegressor)
    {
        /// <summary>Reads a model written by <c>Save</c> or the command-line tool; the file is validated first and never executes anything.</summary>
        /// <exception cref="ModelFormatException">Not a valid model file; the message says why.</exception>
        public static MlpRegressor Load(string path) => ModelFile.Load(path);
    }
}
