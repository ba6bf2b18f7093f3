using System.Globalization;
using System.Text;

namespace Backprop.Bench;

/// <summary>Builds one flat JSON object in the peers' format, culture-invariant, keys in insertion order.</summary>
internal sealed class JsonLine
{
    private readonly StringBuilder _sb = new("{");

    public JsonLine Add(string key, string value) => Raw(key, "\"" + value + "\"");

    public JsonLine Add(string key, double value) => Raw(key, Number(value));

    public JsonLine Add(string key, IEnumerable<double> values) => Raw(key, "[" + string.Join(", ", values.Select(Number)) + "]");

    public override string ToString() => _sb + "}";

    private JsonLine Raw(string key, string json)
    {
        if (_sb.Length > 1)
            _sb.Append(", ");
        _sb.Append('"').Append(key).Append("\": ").Append(json);
        return this;
    }

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
}
