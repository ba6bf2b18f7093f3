using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Backprop.Tests.Data;

/// <summary>
/// One generated table written both as CSV and as Parquet, with a column of every type the reader
/// takes and nulls in most of them: the same data twice, so the two readers can be compared.
/// </summary>
internal static class ParquetFixture
{
    public static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>
    /// Writes <paramref name="rows"/> rows to <paramref name="csv"/> and <paramref name="parquet"/>,
    /// in row groups of <paramref name="groupRows"/>. y depends on every column.
    /// </summary>
    public static async Task WriteAsync(string csv, string parquet, int rows, int groupRows, ulong seed)
    {
        var rng = new Backprop.Numerics.Rng(seed);
        var x = new double?[rows];
        var f = new float[rows];
        var n = new int?[rows];
        var big = new long[rows];
        var price = new decimal?[rows];
        var flag = new bool?[rows];
        var color = new string?[rows];
        var when = new DateTime?[rows];
        var day = new DateTime?[rows];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = i % 17 == 3 ? null : Math.Round(rng.NextDouble() * 10 - 5, 4);
            f[i] = (float)Math.Round(rng.NextDouble(), 3);
            n[i] = i % 23 == 5 ? null : rng.NextInt(50);
            big[i] = 1_000_000_000_000L + rng.NextInt(1000);
            price[i] = i % 19 == 7 ? null : Math.Round((decimal)rng.NextDouble() * 100, 2);
            flag[i] = i % 29 == 11 ? null : rng.NextInt(2) == 1;
            color[i] = i % 31 == 13 ? null : Colors[rng.NextInt(3)];
            when[i] = i % 37 == 17 ? null : new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(rng.NextInt(20_000));
            day[i] = i % 41 == 19 ? null : new DateTime(2021, 1, 1).AddDays(rng.NextInt(700));
            y[i] = 2 * (x[i] ?? 0) + f[i] + 0.1 * (n[i] ?? 25) + (big[i] - 1_000_000_000_000L) / 500.0
                + (double)(price[i] ?? 50) / 50 + (flag[i] == true ? 1 : 0) + Array.IndexOf(Colors, color[i]) + (when[i]?.Month ?? 6) / 6.0 + (int)(day[i]?.DayOfWeek ?? 0) / 7.0;
        }

        var text = new StringBuilder("x,f,n,big,price,flag,color,when,day,y\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{x[i]?.ToString("R", CultureInfo.InvariantCulture)},{f[i].ToString("R", CultureInfo.InvariantCulture)},{n[i]},{big[i]},{price[i]?.ToString(CultureInfo.InvariantCulture)},");
            text.Append(CultureInfo.InvariantCulture,
                $"{(flag[i] is { } b ? (b ? "true" : "false") : "")},{color[i]},{when[i]?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)},{day[i]?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},{y[i].ToString("R", CultureInfo.InvariantCulture)}\n");
        }
        File.WriteAllText(csv, text.ToString());

        var fields = new DataField[]
        {
            new DataField<double?>("x"), new DataField<float>("f"), new DataField<int?>("n"), new DataField<long>("big"),
            new DecimalDataField("price", 10, 2, isNullable: true), new DataField<bool?>("flag"), new DataField<string>("color", nullable: true),
            new DateTimeDataField("when", DateTimeFormat.Timestamp, isAdjustedToUTC: true, isNullable: true),
            new DateTimeDataField("day", DateTimeFormat.Date, isNullable: true), new DataField<double>("y"),
        };
        await using var stream = File.Create(parquet);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (int start = 0; start < rows; start += groupRows)
        {
            int count = Math.Min(groupRows, rows - start);
            using var group = writer.CreateRowGroup();
            var r = new Range(start, start + count);
            await group.WriteAsync<double>(fields[0], x[r]);
            await group.WriteAsync<float>(fields[1], f[r]);
            await group.WriteAsync<int>(fields[2], n[r]);
            await group.WriteAsync<long>(fields[3], big[r]);
            await group.WriteAsync<decimal>(fields[4], price[r]);
            await group.WriteAsync<bool>(fields[5], flag[r]);
            await group.WriteAsync(fields[6], color[r]);
            await group.WriteAsync<DateTime>(fields[7], when[r]);
            await group.WriteAsync<DateTime>(fields[8], day[r]);
            await group.WriteAsync<double>(fields[9], y[r]);
        }
    }
}
