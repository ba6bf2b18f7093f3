using System.Text;
using CsCheck;

namespace Backprop.Tests.Hostile;

// One to three random edits of a valid file: truncation, a flipped byte, an inserted token, a
// deleted range of up to maxDelete bytes. Shared by the CSV and model-file properties.
internal static class ByteEdits
{
    public static Gen<byte[]> Of(Func<byte[]> valid, Gen<string> tokens, int maxDelete) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int, Gen.Int, tokens).Array[1, 3].Select(edits =>
        {
            var bytes = new List<byte>(valid());
            foreach (var (kind, a, b, token) in edits)
            {
                int at = bytes.Count == 0 ? 0 : (int)((uint)a % (uint)bytes.Count);
                switch (kind)
                {
                    case 0:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 1 when bytes.Count > 0:
                        bytes[at] ^= (byte)(1 + (uint)b % 255);
                        break;
                    case 2:
                        bytes.InsertRange(at, Encoding.UTF8.GetBytes(token));
                        break;
                    case 3 when bytes.Count > 0:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + (int)((uint)b % (uint)maxDelete)));
                        break;
                }
            }
            return bytes.ToArray();
        });
}
