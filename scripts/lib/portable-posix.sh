#!/usr/bin/env bash
# The portable POSIX flavour (docs/FORMAT.md §8): the macOS code paths built for Linux in
# target/native-portable (-DMEMSHARE_PORTABLE_POSIX=ON: the index directory instead of listing
# /dev/shm, no /proc, no O_TMPFILE, the flock lock, 16 KiB pages), then the whole gtest suite and
# the library's whole JUnit suite against that build (the JVM loads it through -Dmemshare.library.path,
# which the tests pass on to the JVMs they start), with a fresh index directory of its own
# (target/native-portable/index), which must hold no entry afterwards and is then removed. Run by
# scripts/test after the default build (it needs target/memshare/native-headers); prints one
# summary line "portable POSIX: ...".
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
build=target/native-portable
log=$build/portable.log
mkdir -p "$build"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
if ! { cmake -S . -B "$build" -DMEMSHARE_PORTABLE_POSIX=ON -DCMAKE_BUILD_TYPE=Release -DMEMSHARE_JAVA_HOME="$java_home" \
         -DMEMSHARE_JNI_HEADERS="$PWD/target/memshare/native-headers" -DMEMSHARE_JNI_OUTPUT_ROOT="$PWD/$build/classes" \
       && cmake --build "$build" -j "${NATIVE_JOBS:-2}"; } >"$log" 2>&1; then
  cat "$log"; echo "portable POSIX: FAIL (build)"; exit 1
fi
lib=$(find "$PWD/$build/classes" -name 'libmemshare.so' | head -1)
# A fresh index directory for this run (MEMSHARE_INDEX_DIR, read by this flavour only): /tmp is
# shared across mount namespaces, so the default /tmp/memshare-<uid> would be shared with any other
# run on the host, whose entries a run in a private /dev/shm would take for stale and remove; and
# what this run leaves there is checked below, then the directory goes.
index=$PWD/$build/index
rm -rf "$index"
mkdir -m 0700 "$index"
export MEMSHARE_INDEX_DIR=$index
status=0
ctest --test-dir "$build" --output-on-failure -j "${NATIVE_JOBS:-2}" >"$log" 2>&1 || status=1
gtest=$(grep -E "tests passed|tests failed out of" "$log" | tail -1)
[ $status -eq 0 ] || cat "$log"
# Then the library's whole JUnit suite against it (test-compile surefire:test: the ctest run of
# verify would run the default build's gtest again). The tests learn the flavour from two
# properties: the segment page (sizes rounded up to 16 KiB, as on Apple silicon) and the index
# directory (where a test that plants raw segments, as R would, enters them, as
# index_foreign_segment does). The loader's own tests start their children without the override
# and so test the bundled library as in the default run. No test class is excluded.
mvn -B -ntp -o test-compile surefire:test -pl java/memshare -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest.jvm.args="-Dmemshare.library.path=$lib -Dmemshare.test.segmentPage=16384 -Dmemshare.test.indexDir=$index" \
  >"$log" 2>&1 || status=1
junit=$(grep -E "^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$log" | tail -1 \
  | sed -E 's/^\[[A-Z]+\] //')
[ $status -eq 0 ] || grep -E "FAIL|ERROR\]" "$log" | head -40
# Every entry must have gone with its segment (scripts/test checks /dev/shm itself).
leftovers=$(scripts/lib/index-leftovers.sh "$index") || status=1
printf '%s\n' "$leftovers"
rm -rf "$index"
echo "portable POSIX: gtest ${gtest:-no result}; JUnit (memshare, whole suite) ${junit:-no result}; $(head -1 <<<"$leftovers"); $((SECONDS - start)) s"
exit $status
