using System.Globalization;

namespace Backprop.Tables;

/// <summary>
/// <see cref="TableOptions"/> that cannot work, alone or together. The message names the options by
/// property (<c>TestFraction must be in [0, 1); got 1.</c>); <see cref="Template"/> and
/// <see cref="Options"/> let a front end name them its own way, e.g. <c>--test-fraction</c>.
/// </summary>
public sealed class TableOptionsException : ArgumentException
{
    /// <summary>Creates the error; <paramref name="template"/> holds {0}, {1}, ... where the options' names go.</summary>
    public TableOptionsException(string template, params string[] options)
        : base(string.Format(CultureInfo.InvariantCulture, template, options))
    {
        Template = template;
        Options = options;
    }

    /// <summary>The message with {0}, {1}, ... in place of the option names.</summary>
    public string Template { get; }

    /// <summary>The <see cref="TableOptions"/> property names the message is about, in template order.</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>The message with each option named by <paramref name="name"/>.</summary>
    public string Format(Func<string, string> name) =>
        string.Format(CultureInfo.InvariantCulture, Template, Options.Select(name).ToArray<object?>());

    // File names go into templates as text, not as placeholders.
    internal static string Literal(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
