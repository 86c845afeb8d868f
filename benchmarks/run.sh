#!/usr/bin/env bash
# Runs every jwdm benchmark in one go and writes benchmarks/RESULTS.md.
#
#   bash benchmarks/run.sh
#
# From a fresh clone: builds the repository (tests skipped) and the benchmarks' uber-jar, runs the
# JMH benchmarks (rows 1-4) and the scale harness (row 5), profiles with JFR each benchmark whose
# goal was missed, and writes the report. Sized for a 2-core machine: one fork and one benchmark
# thread at a time, so the JIT and the GC have the other core. About 10 minutes.
#
# Raw results stay in benchmarks/target/results (jmh.json, scale.json, *.jfr, logs).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build"
mvn -B -q install -DskipTests -Pbenchmarks-jar

JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/target/results
rm -rf "$OUT"
mkdir -p "$OUT"
# Other processes on the machine distort every figure: the report shows the load during the run.
if [ -r /proc/loadavg ]; then
  ( while true; do cat /proc/loadavg; sleep 10; done ) > "$OUT/loadavg.log" &
  SAMPLER=$!
  trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT
fi

echo "== JMH: dispatch, I/O round trip, load/unload, Felix, processor"
java -jar "$JAR" 'io\.jwdm\.benchmarks\.(Dispatch|IoRoundTrip|LoadUnload|Felix|Processor)Benchmark\.' \
  -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.log" 2>&1 || {
  echo "JMH failed; see $OUT/jmh.log" >&2
  tail -40 "$OUT/jmh.log" >&2
  exit 1
}
sed -n '/^Benchmark /,$p' "$OUT/jmh.log" | grep -v ':p0\.\(00\|90\|95\|99\|999\|9999\)\b\|:p1\.00' || true

echo "== scale harness"
java -Xmx8g -XX:StartFlightRecording=filename="$OUT/profile-scale.jfr",settings=profile \
  -cp "$JAR" io.jwdm.benchmarks.scale.ScaleHarness --out "$OUT/scale.json" 2>&1 \
  | grep -v '^\[.*jfr' | tee "$OUT/scale.log"

echo "== profiles of missed goals"
java -cp "$JAR" io.jwdm.benchmarks.Report missed "$OUT" > "$OUT/missed.txt"
while IFS=$'\t' read -r id args; do
  [ -n "$id" ] || continue
  [ -n "$args" ] || continue   # the scale harness was recorded above
  echo "-- $id: $args"
  read -r -a argv <<< "$args"
  java -jar "$JAR" "${argv[@]}" -f 1 -wi 2 -i 5 -prof "jfr:dir=$OUT/profile-$id;stackDepth=96" \
    > "$OUT/profile-$id.log" 2>&1 || echo "profile run $id failed; see $OUT/profile-$id.log" >&2
done < "$OUT/missed.txt"

echo "== report"
java -cp "$JAR" io.jwdm.benchmarks.Report write "$OUT" benchmarks/RESULTS.md
echo "wrote benchmarks/RESULTS.md"
