#!/usr/bin/env bash
# scripts/bench spark [--quick] [SparkBench options]: the memory per host of a plain Spark
# broadcast against memshare's one copy per host, side by side in one run, on two simulated hosts
# (scripts/lib/spark-cluster.sh: a Master and two Workers, each in its own mount namespace with its
# own /dev/shm, 2 executors each). The full run uses a 16,384 x 8,192 double matrix (1 GiB) and
# 4 GiB executors (a broadcast needs about 2.2 x D of heap in each); --quick a 64 MiB one with
# 1 GiB executors. Needs root; the cluster is stopped however the run ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=false; extra=()
for a in "$@"; do if [ "$a" = --quick ]; then quick=true; else extra+=("$a"); fi; done

if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
  echo "SKIP spark bench: needs root and unshare -m (each simulated host gets its own /dev/shm)"; exit 0
fi
jar=$(scripts/jar)
. scripts/lib/spark-home.sh
spark_home_setup

if $quick; then
  size=(--rows 4096 --cols 2048 --executor-memory 1g); worker_mem=4g; shm=1g; heap=1g
else
  size=(--rows 16384 --cols 8192 --executor-memory 4g); worker_mem=8g; shm=3g; heap=4g
fi
export SPARK_CLUSTER_DIR=$PWD/target/spark-bench/cluster SPARK_WORKER_MEMORY=$worker_mem SPARK_HOST_SHM=$shm
trap 'scripts/lib/spark-cluster.sh stop' EXIT
# A signal ends the driver, then the EXIT trap stops the cluster.
driver=""
trap '[ -n "$driver" ] && kill "$driver" 2>/dev/null; exit 143' INT TERM
t0=$(date +%s)
master=$(scripts/lib/spark-cluster.sh start | sed -n 's/^MASTER=//p')
hosts=()
while read -r h pid; do hosts+=(--host "$h=$pid"); done < <(scripts/lib/spark-cluster.sh workers)
echo "cluster up in $(( $(date +%s) - t0 )) s: $master"
# Spark's log goes to a file (shown if the run fails); the bench prints its own lines.
log=target/spark-bench/driver.log
java "${spark_driver_jvm_opts[@]}" -Xms$heap -Xmx$heap -cp "$SPARK_HOME/jars/*:$jar" \
  org.memshare.bench.spark.SparkBench --master "$master" "${hosts[@]}" --jar "$jar" \
  --dir target/spark-bench "${size[@]}" "${extra[@]}" 2>"$log" &
driver=$!
if ! wait "$driver"; then
  tail -50 "$log"; echo "spark bench failed (Spark's log: $log, the cluster's: $SPARK_CLUSTER_DIR)"; exit 1
fi
echo "spark bench: $(( $(date +%s) - t0 )) s in all"
