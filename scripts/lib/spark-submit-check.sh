#!/usr/bin/env bash
# memshare through spark-submit on a real standalone cluster, for each Spark of SPARK_SUBMIT_VERSIONS
# (default: the newest 3.5.x and 4.x on Maven Central, "3.5.9:2.12 4.2.0:2.13", spark_newest_versions
# in scripts/lib/spark-home.sh), with the one
# memshare-spark JAR built against the top-level pom's Spark:
#   1. a static check: every Spark, Scala and SLF4J reference of the module's (and the app's)
#      classes resolves in that Spark's jars (scripts/lib/SparkRefs.java);
#   2. a Master and one Worker on 127.0.0.1 from that Spark's own jars (scripts/lib/spark-home.sh),
#      spark-submit (Spark's launcher, as bin/spark-submit runs it) of scripts/lib/SparkSubmitApp.java
#      in client mode with the plugin and --jars memshare.jar,memshare-spark.jar only:
#      fromFile, broadcast, memApply with withProgress, view() in a job;
#   3. nothing left in /dev/shm after the application's end.
# All of it runs in a private mount namespace with its own tmpfs on /dev/shm (needs root), so the
# /dev/shm check sees this run alone. Needs the build (mvn package). 1-6 min per version
# on a 2-core machine (381 s for 3.5.9 and 206 s for 4.2.0 at load 30), plus the first download of a Spark's
# jars (3.5.9: 115 jars, 176 MB, about 90 s here; 4.2.0: 220 MB).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib/spark-home.sh"
versions=${SPARK_SUBMIT_VERSIONS:-$spark_newest_versions}
dir=$root/target/spark-submit-check

if [ -z "${MEMSHARE_SUBMIT_NS:-}" ]; then
  if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
    echo "SKIP spark-submit check: needs root and unshare -m (a private /dev/shm)"; exit 0
  fi
  exec unshare -m --propagation private env MEMSHARE_SUBMIT_NS=1 bash -c \
    'mount -t tmpfs -o size=1g tmpfs /dev/shm && exec "$0"' "$0"
fi

lib=$(ls "$root"/target/memshare/memshare-*.jar 2>/dev/null | grep -vE 'sources|javadoc|tests' | head -1 || true)
spark=$(ls "$root"/target/memshare-spark/memshare-spark-*.jar 2>/dev/null | grep -vE 'sources|javadoc|tests' | head -1 || true)
[ -f "$lib" ] && [ -f "$spark" ] || { echo "spark-submit check: build first (mvn package -DskipTests)"; exit 1; }
rm -rf "$dir"; mkdir -p "$dir"
# The app compiles against the build's Spark (the top-level pom's), as a user's would.
unset SPARK_HOME
spark_home_setup || { echo "spark-submit check: no SPARK_HOME for the build's Spark"; exit 1; }
build_jars="$SPARK_HOME/jars/*"

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap cleanup EXIT

# Waits (bounded) for a line matching $2 in file $1; prints the match. The bounds here only catch
# a hang: a JVM start takes seconds when idle and over a minute on a loaded 2-core machine.
await() {
  local i
  for ((i = 0; i < 6000; i++)); do
    grep -soE "$2" "$1" | head -1 && return 0
    sleep 0.1
  done
  echo "spark-submit check: no '$2' in $1 within 600 s" >&2; tail -20 "$1" >&2; return 1
}

passed=0 total=0
for vs in $versions; do
  v=${vs%:*} scala=${vs#*:}
  total=$((total + 1)); start=$(date +%s)
  out=$dir/$v; mkdir -p "$out/work" "$out/app"
  unset SPARK_HOME
  spark_home_setup "$v" "$scala" || { echo "spark-submit $v: no SPARK_HOME"; continue; }
  cp="$SPARK_HOME/jars/*"
  javac -nowarn -d "$out/app" -cp "$build_jars:$lib:$spark" "$root/scripts/lib/SparkSubmitApp.java"
  jar cf "$out/app.jar" -C "$out/app" .
  classpath=$(tr ':' '\n' <"$SPARK_HOME/classpath.txt" | paste -sd:)
  ok=1
  java "$root/scripts/lib/SparkRefs.java" "$root/target/memshare-spark/classes" "$classpath" "$v (memshare-spark)" || ok=0
  java "$root/scripts/lib/SparkRefs.java" "$out/app" "$classpath" "$v (the app)" || ok=0

  java -Xmx256m -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
    >"$out/master.log" 2>&1 </dev/null & pids+=($!)
  url=$(await "$out/master.log" 'spark://127\.0\.0\.1:[0-9]+') || { cleanup; continue; }
  java -Xmx256m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 2 --memory 2g --work-dir "$out/work" "$url" >"$out/worker.log" 2>&1 </dev/null & pids+=($!)
  await "$out/master.log" 'Registering worker' >/dev/null || { cleanup; continue; }

  # Spark's launcher builds the driver's command as bin/spark-submit would (NUL-separated).
  mapfile -d '' cmd < <(java -Xmx128m -cp "$cp" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit \
    --master "$url" --deploy-mode client --class SparkSubmitApp \
    --conf spark.plugins=org.memshare.spark.MemsharePlugin --jars "$lib,$spark" \
    --conf spark.executor.memory=512m --conf spark.driver.memory=512m --conf spark.ui.enabled=false \
    --conf spark.driver.host=127.0.0.1 "$out/app.jar" "$out")
  # Its output starts with a marker (NUL, newline) that bin/spark-class skips as well.
  while [ ${#cmd[@]} -gt 0 ] && [ -z "${cmd[0]//$'\n'/}" ]; do cmd=("${cmd[@]:1}"); done
  [ ${#cmd[@]} -gt 0 ] && cmd[0]=${cmd[0]#$'\n'}
  if ! timeout 900 "${cmd[@]}" >"$out/app.log" 2>&1 </dev/null; then
    echo "spark-submit $v: the app failed:"; { grep -E "SPARK-SUBMIT|Exception|Error" "$out/app.log" || true; } | head -20; ok=0
  fi
  grep -h "^SPARK-SUBMIT" "$out/app.log" | sed "s/^/spark-submit $v: /" || true
  grep -q "^SPARK-SUBMIT OK" "$out/app.log" || ok=0
  # The executors end after the application: their plugin releases, then /dev/shm must be empty.
  for ((i = 0; i < 600; i++)); do [ -z "$(ls -A /dev/shm)" ] && break; sleep 0.2; done
  if [ -n "$(ls -A /dev/shm)" ]; then echo "spark-submit $v: left in /dev/shm: $(ls -A /dev/shm | tr '\n' ' ')"; ok=0; rm -f /dev/shm/*; fi
  cleanup
  if [ "$ok" = 1 ]; then passed=$((passed + 1)); echo "spark-submit $v: PASS ($(( $(date +%s) - start )) s)"; else echo "spark-submit $v: FAIL (logs: $out)"; fi
done
echo "spark-submit checks: $passed of $total passed (${versions})"
[ "$passed" = "$total" ]
