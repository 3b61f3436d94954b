#!/usr/bin/env bash
# The checks of memshare on two simulated Spark hosts (run by scripts/test): a Master and two
# Workers, each Worker in its own mount namespace with its own tmpfs /dev/shm and 2 executors
# (scripts/lib/spark-cluster.sh); then org.memshare.bench.spark.SparkHostsCheck: one copy per host
# and none in the driver's /dev/shm, kill -9 of a copy's owner mid-job, kill -9 of an executor
# filling a copy, a task cancelled mid-fill, the application's end with views open (docs/SPARK.md).
# The cluster is stopped however the run ends,
# and nothing of it may be left (JVMs, namespaces). Skips, saying why, only where the machine
# cannot give a process its own mount namespace (not root, or unshare not permitted).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then echo "SKIP spark hosts checks: needs root to give each simulated host its own /dev/shm"; exit 0; fi
if ! unshare -m --propagation private true 2>/dev/null; then
  echo "SKIP spark hosts checks: unshare -m is not permitted here (each simulated host needs its own /dev/shm)"; exit 0
fi
jar=$(scripts/jar)
. scripts/lib/spark-home.sh
spark_home_setup

out=$PWD/target/spark-hosts-check
mkdir -p "$out"
export SPARK_CLUSTER_DIR=$out/cluster SPARK_WORKER_MEMORY=2g SPARK_HOST_SHM=1g
stopped=false
finish() {
  $stopped && return
  stopped=true
  scripts/lib/spark-cluster.sh stop
}
trap finish EXIT
# A signal ends the driver, then the EXIT trap stops the cluster (the driver runs in the
# background so that the trap runs at once, not after it).
driver=""
trap '[ -n "$driver" ] && kill "$driver" 2>/dev/null; exit 143' INT TERM
t0=$(date +%s)
master=$(scripts/lib/spark-cluster.sh start | sed -n 's/^MASTER=//p')
hosts=(); workers=()
while read -r h pid; do hosts+=(--host "$h=$pid"); workers+=("$pid"); done < <(scripts/lib/spark-cluster.sh workers)
echo "cluster up in $(( $(date +%s) - t0 )) s: $master, Workers ${workers[*]}"

status=0
log=$out/driver.log
java "${spark_driver_jvm_opts[@]}" -Xmx1g -cp "$SPARK_HOME/jars/*:$jar" org.memshare.bench.spark.SparkHostsCheck \
  --master "$master" "${hosts[@]}" --jar "$jar" --rows 2048 --cols 1024 --executor-memory 1g --dir "$out" \
  2>"$log" &
driver=$!
wait "$driver" || status=$?
[ $status -eq 0 ] || { tail -40 "$log"; echo "(Spark's log: $log; the cluster's: $SPARK_CLUSTER_DIR)"; }

# Stopped means gone: no Master, Worker or executor JVM left, so no simulated host's namespace.
cluster=("$(cat "$SPARK_CLUSTER_DIR/master.pid")" "${workers[@]}")
namespaces=()
for pid in "${workers[@]}"; do
  cluster+=($(pgrep -P "$pid" || true)); namespaces+=("$(readlink "/proc/$pid/ns/mnt" || true)")
done
finish
for pid in "${cluster[@]}"; do
  if kill -0 "$pid" 2>/dev/null; then echo "FAIL: process $pid of the cluster still runs after the stop"; status=1; fi
done
# A mount namespace (and its tmpfs) lives while a process is in it.
in_use=$(for p in /proc/[0-9]*/ns/mnt; do readlink "$p" 2>/dev/null; done | sort -u)
for ns in "${namespaces[@]}"; do
  if [ -n "$ns" ] && grep -qxF "$ns" <<<"$in_use"; then echo "FAIL: a simulated host's namespace $ns is still in use"; status=1; fi
done
echo "spark hosts checks: $(( $(date +%s) - t0 )) s in all (cluster start and stop included)"
exit $status
