using Backprop.Serialization;

namespace Backprop.Tests.Hostile;

/// <summary>
/// Inputs that once broke a reader, kept as regular tests. Each is an edit of the valid model file of
/// <see cref="SmallModels"/>: a JSON path and the raw value put there, with the words the error must say.
/// </summary>
public sealed class CorpusTests
{
    [Theory]
    // ModelFile.ToModel passed an ArgumentOutOfRangeException's two-line message through.
    [InlineData("$.options.loss", "-1", "stored training options are invalid|Loss")]
    [InlineData("$.options.learning_rate", "-1", "stored training options are invalid|LearningRate")]
    [InlineData("$.options.batch_size", "0", "stored training options are invalid")]
    // A null history record loaded, then crashed 'backprop inspect' with a NullReferenceException.
    [InlineData("$.history[0]", "null", "'history' holds a null record")]
    [InlineData("$.feature_names[0]", "null", "'feature_names' holds a null name")]
    [InlineData("$.target_names[0]", "null", "'target_names' holds a null name")]
    public void Once_failing_model_files_give_a_one_line_ModelFormatException(string path, string value, string keywords)
    {
        var bytes = ModelFileProperties.Replaced(path, value);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.ToModel(ModelFile.Read(new MemoryStream(bytes), "m.json"), "m.json"));
        Assert.StartsWith("m.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        foreach (var word in keywords.Split('|'))
            Assert.Contains(word, e.Message);
        ModelFileProperties.LoadEveryWay(bytes, path);
        ModelFileProperties.InspectWithTheCli(bytes, path);
    }
}
