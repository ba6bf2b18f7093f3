namespace Backprop.Serialization;

/// <summary>
/// A model file that is not JSON, not a Backprop model, of an unknown version, truncated or inconsistent.
/// The message is one line: line breaks in <c>message</c> (e.g. from an underlying exception) are replaced by spaces.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="source"/> (a file name) prefixes the message.</summary>
    public ModelFormatException(string? source, string message, Exception? inner = null)
        : base(OneLine(source is null ? message : $"{source}: {message}"), inner)
    {
        Source = source;
    }

    private static string OneLine(string text) =>
        text.Contains('\n') || text.Contains('\r') ? string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : text;
}
