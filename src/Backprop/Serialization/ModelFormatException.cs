namespace Backprop.Serialization;

/// <summary>A model file that is not JSON, not a Backprop model, of an unknown version, truncated or inconsistent.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="source"/> (a file name) prefixes the message.</summary>
    public ModelFormatException(string? source, string message, Exception? inner = null)
        : base(source is null ? message : $"{source}: {message}", inner)
    {
        Source = source;
    }
}
