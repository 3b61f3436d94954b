#!/usr/bin/env bash
# scripts/lib/high-priority.sh CMD [ARGS...]: runs CMD in a new session whose scheduling group
# (Linux autogroup) has nice -20, so that on a machine shared with other work the measured
# processes get nearly all the CPU time they ask for. With autogroups on (the default), a plain
# `nice -n -20` only ranks processes within their own session and does not help against other
# sessions' builds. Needs root (a negative nice); elsewhere it says so and runs CMD as it is.
# Used for benchmark runs on a busy machine, e.g. scripts/lib/high-priority.sh scripts/bench select
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
exec setsid --wait bash -c '
  if ! echo -20 2>/dev/null > /proc/$$/autogroup; then
    echo "high-priority: cannot raise the autogroup priority (not root, or no autogroups); running as is" >&2
  fi
  exec "$@"' high-priority "$@"
