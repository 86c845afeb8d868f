#!/usr/bin/env bash
# Follows the README's "Write your first driver" tutorial as a new user would: copies the files it
# gives (each "File: `PATH`" line and the fenced block after it, between the tutorial:start and
# tutorial:end markers) into an empty directory, builds that project with `mvn -B -q verify`
# against the jwdm artifacts in the local Maven repository, and fails unless it builds and its
# tests run and pass. Then it breaks the driver as step 5 says and checks that the build fails as
# the README shows: with each line of its "Excerpt of the failure:" block, and with MissingUnload.
#
# Run `mvn install -DskipTests` in the jwdm checkout first. Extra arguments go to every mvn call,
# such as -o when every artifact is cached.
#
# Usage: testing/src/test/tutorial/follow-tutorial.sh [MVN_OPTION...]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
readme="$root/README.md"
work="$(mktemp -d "${TMPDIR:-/tmp}/jwdm-tutorial.XXXXXX")"
trap 'rm -rf "$work"' EXIT
project="$work/project"
excerpt="$work/excerpt.txt"
mkdir -p "$project"

fail() {
  echo "follow-tutorial: FAILED: $*" >&2
  exit 1
}

fence='^```'
# --- 1. Extract the files, and the excerpt of the failure, from the tutorial's section ----------
inside=0; seen=0; state=""; target=""; files=0
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    "<!-- tutorial:start -->") inside=1; seen=1; continue ;;
    "<!-- tutorial:end -->") inside=0; continue ;;
  esac
  [ "$inside" = 1 ] || continue
  case "$state" in
    fence)
      [[ $line =~ $fence ]] || fail "README.md: '$target' is not followed by a fenced block"
      state=body; : > "$target"; continue ;;
    body)
      if [[ $line =~ ^\`\`\`[[:space:]]*$ ]]; then
        state=""
        [ "$target" = "$excerpt" ] || files=$((files + 1))
      else
        printf '%s\n' "$line" >> "$target"
      fi
      continue ;;
  esac
  if [[ $line =~ ^File:\ \`([^\`]+)\`[[:space:]]*$ ]]; then
    path="${BASH_REMATCH[1]}"
    case "$path" in
      /* | *..*) fail "README.md: a file path must be relative, inside the project: $path" ;;
    esac
    target="$project/$path"
    mkdir -p "$(dirname "$target")"
    state=fence
  elif [ "$line" = "Excerpt of the failure:" ]; then
    target="$excerpt"
    state=fence
  fi
done < "$readme"

[ "$seen" = 1 ] || fail "README.md has no <!-- tutorial:start --> marker"
[ "$inside" = 0 ] || fail "README.md has no <!-- tutorial:end --> marker after the start"
[ -z "$state" ] || fail "README.md: the block for '$target' is not closed"
[ -f "$project/pom.xml" ] || fail "the tutorial gives no pom.xml"
[ -f "$excerpt" ] || fail "the tutorial gives no 'Excerpt of the failure:' block"
echo "== Extracted $files file(s) from README.md:"
(cd "$project" && find . -type f | sort | sed 's|^\./|   |')

# The tutorial must use the jwdm version this checkout builds.
version="$(grep -m1 -A1 '<artifactId>jwdm-parent</artifactId>' "$root/pom.xml" \
  | sed -n 's:.*<version>\(.*\)</version>.*:\1:p')"
grep -qF "<jwdm.version>$version</jwdm.version>" "$project/pom.xml" \
  || fail "the tutorial's pom.xml does not use jwdm $version, the version of this checkout"

# --- 2. Build it as given: it compiles, and its tests run and pass ------------------------------
echo "== mvn -B -q verify${*:+ $*} (the project as the README gives it)"
if ! (cd "$project" && mvn -B -q verify "$@") > "$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  fail "the tutorial's project does not build or its tests fail (is jwdm $version installed in the local repository? run mvn install -DskipTests in $root)"
fi
shopt -s nullglob
reports=("$project"/target/surefire-reports/TEST-*.xml)
[ "${#reports[@]}" -gt 0 ] || fail "the tutorial's build ran no test class"
ran=0
for report in "${reports[@]}"; do
  count="$(grep -m1 -o '<testsuite [^>]*' "$report" | grep -o ' tests="[0-9]*"' | tr -dc '0-9')"
  ran=$((ran + ${count:-0}))
done
[ "$ran" -gt 0 ] || fail "the tutorial's build ran no test"
echo "   built; $ran test(s) passed"

# --- 3. Break it as step 5 says: the tests fail with the excerpt the README shows --------------
driver="$(grep -rl --include='*.java' '@Unload' "$project/src/main/java" | head -n 1)"
[ -n "$driver" ] || fail "no driver with @Unload in the tutorial"
cp "$driver" "$work/driver.java"
leak='k.ioDeleteSymbolicLink(LINK_NAME);'
grep -qF "Delete the line \`$leak\`" "$readme" || fail "README.md no longer says to delete $leak"
grep -qF "$leak" "$driver" || fail "the tutorial's driver has no line $leak"
grep -vF "$leak" "$work/driver.java" > "$driver"
echo "== mvn -B -q verify${*:+ $*} (without $leak)"
if (cd "$project" && mvn -B -q verify "$@") > "$work/leak.log" 2>&1; then
  fail "the build passed although Unload no longer deletes the symbolic link"
fi
cat "$project"/target/surefire-reports/*.txt >> "$work/leak.log" 2>/dev/null || true
while IFS= read -r expected || [ -n "$expected" ]; do
  expected="$(printf '%s' "$expected" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
  [ -n "$expected" ] && [ "$expected" != "..." ] || continue
  grep -qF -- "$expected" "$work/leak.log" || {
    cat "$work/leak.log" >&2
    fail "the failure does not show the README's line: $expected"
  }
done < "$excerpt"
echo "   the tests failed with the README's excerpt"

cp "$work/driver.java" "$driver"
grep -qxF '  @Unload' "$driver" || fail "the tutorial's driver has no '  @Unload' line"
grep -vxF '  @Unload' "$work/driver.java" > "$driver"
echo "== mvn -B -q verify${*:+ $*} (without @Unload)"
if (cd "$project" && mvn -B -q verify "$@") > "$work/unload.log" 2>&1; then
  fail "the build passed although the driver has no @Unload"
fi
missing="[MissingUnload] Legacy driver 'Hello' (class com.example.hello.Hello) has no @Unload method"
grep -qF "\`$missing\`" "$readme" || fail "README.md no longer quotes the MissingUnload error: $missing"
grep -qF "$missing" "$work/unload.log" || {
  cat "$work/unload.log" >&2
  fail "the compiler did not report: $missing"
}
echo "   the compiler reported MissingUnload"
echo "== The tutorial works as written"
