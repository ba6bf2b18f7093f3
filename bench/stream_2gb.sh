#!/usr/bin/env bash
# Streams a generated CSV of about 2 GB through `backprop train --stream` and reports rows per
# second and peak resident memory (GNU time). The file goes to $STREAM_DIR (default /tmp), never
# into the repository.
#
#   bash bench/stream_2gb.sh                  # ~2 GB, one epoch
#   ROWS=2000000 bash bench/stream_2gb.sh     # a smaller run
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${STREAM_DIR:-/tmp}"
rows="${ROWS:-21000000}"
file="$dir/stream_${rows}.csv"
if [ ! -f "$file" ]; then
  # Ten U(0,1) inputs with six decimals and a linear target: about 97 bytes a row.
  awk -v rows="$rows" 'BEGIN {
    srand(1);
    print "x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,y";
    for (i = 0; i < rows; i++) {
      line = ""; y = 0;
      for (j = 0; j < 10; j++) { x = rand(); y += (j + 1) * x; line = line sprintf("%.6f,", x) }
      print line sprintf("%.6f", y);
    }
  }' > "$file"
fi
bytes=$(stat -c %s "$file")
dotnet build -c Release src/Backprop.Cli -v q -nologo >/dev/null
start=$(date +%s.%N)
/usr/bin/time -v -o "$dir/stream_time.txt" dotnet src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli.dll \
  train "$file" --target y --stream --epochs 1 --hidden 16 --batch-size 256 --shuffle-buffer 65536 \
  --out "$dir/stream_model.json" --no-plots --quiet
end=$(date +%s.%N)
peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/stream_time.txt")
awk -v b="$bytes" -v r="$rows" -v s="$start" -v e="$end" -v p="$peak_kb" 'BEGIN {
  printf "{\"file_bytes\": %d, \"rows\": %d, \"epochs\": 1, \"seconds\": %.1f, \"rows_per_s\": %d, \"peak_mb\": %d}\n", b, r, e - s, r / (e - s), p / 1024 }'
