#!/usr/bin/env bash
# The jwdm main job: build everything, show the processor rejecting a driver that has no Unload
# routine, then run the example drivers with the jwdm command and print its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Building jwdm and its example drivers"
mvn -B -q install -DskipTests

runtime=$(ls runtime/target/jwdm-runtime-*.jar | head -1)
processor=$(ls processor/target/jwdm-processor-*.jar | head -1)
javapoet=$(find "${HOME}/.m2/repository/com/palantir/javapoet/javapoet" -name 'javapoet-*.jar' | sort | tail -1)

echo "== Example drivers compiled through the processor, with their generated glue:"
find examples/target/generated-sources/annotations -name '*_DriverGlue.java' | sort | sed 's/^/   /'
echo "   META-INF/services/io.jwdm.spi.DriverGlue:"
sed 's/^/     /' examples/target/classes/META-INF/services/io.jwdm.spi.DriverGlue

echo "== Compiling demo/NoUnloadDriver.java, a WDM driver with no @Unload:"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if javac -d "$out" -cp "$runtime" -processorpath "$processor:$javapoet" demo/NoUnloadDriver.java \
    2> "$out/errors.txt"; then
  echo "!! the processor accepted a driver without Unload" >&2
  exit 1
fi
sed 's/^/   /' "$out/errors.txt"
if grep -q '\[MissingUnload\]' "$out/errors.txt"; then
  echo "== Rejected with [MissingUnload], as it must be."
else
  echo "!! compilation failed, but not with [MissingUnload]" >&2
  exit 1
fi

echo
echo "== Running the example drivers in the simulated kernel under Driver Verifier (jwdm run):"
java -jar cli/target/jwdm.jar run --test-signing --scenario cli/scenarios/examples.jwdm \
    examples/target/jwdm-examples-*.jar
