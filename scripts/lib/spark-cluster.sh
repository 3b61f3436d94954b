#!/usr/bin/env bash
# Two simulated Spark hosts on this machine: a standalone Master on 127.0.0.1 and two Workers on
# 127.0.0.2 and 127.0.0.3, each Worker in its own mount namespace with its own tmpfs on /dev/shm
# (so each "host" has a /dev/shm of its own, as two machines would; docs/SPARK.md).
#
#   spark-cluster.sh start    start them, wait (bounded) until both Workers registered; prints
#                             MASTER=spark://127.0.0.1:PORT
#   spark-cluster.sh stop     stop Workers (and their executors) and Master; no JVM or namespace left
#   spark-cluster.sh status   one line per host: Worker pid, executor pids, bytes in its /dev/shm
#   spark-cluster.sh master   the master URL
#   spark-cluster.sh workers  one line per host: HOST WORKER_PID
#
# Needs root (mount namespaces); SPARK_HOME comes from scripts/lib/spark-home.sh (built on first use).
# Environment: SPARK_CLUSTER_DIR (state and logs; default target/spark-cluster),
# SPARK_WORKER_MEMORY (what each Worker offers executors; default 8g), SPARK_WORKER_CORES
# (default 2: two 1-core executors per host), SPARK_HOST_SHM (each host's tmpfs size; default 4g),
# SPARK_CLUSTER_WAIT (seconds to wait for registration; default 180).
# The executors are the Workers' child processes; a Worker's /dev/shm is visible from outside as
# /proc/WORKER_PID/root/dev/shm.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${SPARK_CLUSTER_DIR:-$root/target/spark-cluster}
hosts=(127.0.0.2 127.0.0.3)

die() { echo "spark-cluster: $*" >&2; exit 1; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

pid_of() { cat "$dir/$1.pid" 2>/dev/null || true; }

# The executor JVMs a Worker started (its direct children).
executors_of() { pgrep -P "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ $//' || true; }

# Bytes a host's tmpfs holds (allocated pages, not file sizes), seen through the Worker's root.
shm_bytes() {
  local used
  used=$(stat -f -c '%b %f %S' "/proc/$1/root/dev/shm" 2>/dev/null) || { echo "?"; return; }
  set -- $used
  echo $(( ($1 - $2) * $3 ))
}

need() {
  [ "$(id -u)" = 0 ] || die "needs root to give each Worker its own mount namespace and /dev/shm"
  . "$root/scripts/lib/spark-home.sh"
  spark_home_setup || die "no SPARK_HOME"
  unshare -m --propagation private true 2>/dev/null || die "unshare -m is not permitted here"
}

# Kills a process: TERM, then KILL after $2 seconds; waits until it is gone.
stop_pid() {
  local pid=$1 grace=$2 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do alive "$pid" || return 0; sleep 0.1; done
  echo "spark-cluster: process $pid survived SIGKILL" >&2
}

start() {
  need
  if alive "$(pid_of master)"; then die "already running (master pid $(pid_of master)); stop it first"; fi
  rm -rf "$dir"; mkdir -p "$dir"
  local cp="$SPARK_HOME/jars/*" wait=${SPARK_CLUSTER_WAIT:-180}
  # Port 0 everywhere: other sessions may run Spark on the usual ports; the log names the port.
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx256m -cp "$cp" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 0 --webui-port 0 >"$dir/master.log" 2>&1 </dev/null &
  echo $! >"$dir/master.pid"
  local url="" i
  for ((i = 0; i < wait * 10; i++)); do
    url=$(grep -soE 'Starting Spark master at spark://[0-9.]+:[0-9]+' "$dir/master.log" | head -1 | awk '{print $NF}' || true)
    [ -n "$url" ] && break
    alive "$(pid_of master)" || { cat "$dir/master.log" >&2; die "the Master exited"; }
    sleep 0.1
  done
  [ -n "$url" ] || { stop; die "the Master did not start within ${wait}s"; }
  echo "$url" >"$dir/master.url"
  local h
  for h in "${hosts[@]}"; do
    mkdir -p "$dir/work-$h"
    # unshare and bash exec into the Worker, so $! is the Worker's pid; its executors inherit the
    # namespace and see only this host's tmpfs.
    SPARK_LOCAL_IP=$h unshare -m --propagation private bash -c '
        mount -t tmpfs -o size="$1" tmpfs /dev/shm || exit 97
        shift
        exec "$@"' _ "${SPARK_HOST_SHM:-4g}" \
      java -Xmx256m -cp "$cp" org.apache.spark.deploy.worker.Worker --host "$h" --port 0 --webui-port 0 \
        --cores "${SPARK_WORKER_CORES:-2}" --memory "${SPARK_WORKER_MEMORY:-8g}" --work-dir "$dir/work-$h" "$url" \
      >"$dir/worker-$h.log" 2>&1 </dev/null &
    echo $! >"$dir/worker-$h.pid"
  done
  local registered=0
  for ((i = 0; i < wait * 10; i++)); do
    registered=$(grep -c 'Registering worker' "$dir/master.log" || true)
    [ "$registered" -ge ${#hosts[@]} ] && break
    for h in "${hosts[@]}"; do
      alive "$(pid_of "worker-$h")" || { cat "$dir/worker-$h.log" >&2; stop; die "the Worker on $h exited"; }
    done
    sleep 0.1
  done
  [ "$registered" -ge ${#hosts[@]} ] || { stop; die "only $registered of ${#hosts[@]} Workers registered within ${wait}s"; }
  echo "MASTER=$url"
}

stop() {
  local h pid ex all=()
  for h in "${hosts[@]}"; do
    pid=$(pid_of "worker-$h")
    alive "$pid" || continue
    # The Worker kills its executors when it stops; anything left is killed after it.
    ex=$(executors_of "$pid"); [ -n "$ex" ] && all+=($ex)
  done
  for h in "${hosts[@]}"; do stop_pid "$(pid_of "worker-$h")" 15 & done
  wait
  for pid in "${all[@]}"; do stop_pid "$pid" 5; done
  stop_pid "$(pid_of master)" 15
  rm -f "$dir"/*.pid "$dir/master.url"
}

status() {
  local url h pid
  url=$(cat "$dir/master.url" 2>/dev/null || true)
  if alive "$(pid_of master)"; then echo "master $url pid $(pid_of master)"; else echo "master: not running"; fi
  for h in "${hosts[@]}"; do
    pid=$(pid_of "worker-$h")
    if alive "$pid"; then
      echo "host $h worker $pid executors [$(executors_of "$pid")] shm_bytes $(shm_bytes "$pid")"
    else
      echo "host $h: not running"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  master) cat "$dir/master.url" ;;
  workers) for h in "${hosts[@]}"; do echo "$h $(pid_of "worker-$h")"; done ;;
  *) echo "usage: spark-cluster.sh start|stop|status|master|workers" >&2; exit 2 ;;
esac
