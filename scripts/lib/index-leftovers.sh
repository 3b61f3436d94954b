#!/usr/bin/env bash
# index-leftovers.sh DIR: the leftover check of an index directory of the portable POSIX flavour
# (docs/FORMAT.md §8) after a test run, as scripts/test checks /dev/shm. Every segment's entry
# must be gone with its segment, and every lock file with its lock; what may stay is documented in
# docs/LIFECYCLE.md: the empty .locks/ and the .procs/ records (the flavour's stand-in for the
# process table, one per process that used memshare; a Mac asks the kernel and writes none).
# Prints one line "portable index directory: ..." (and each leftover); exits 1 on any leftover.
set -euo pipefail
dir=${1:?usage: index-leftovers.sh DIR}
[ -d "$dir" ] || { echo "portable index directory: FAIL: $dir is missing"; exit 1; }
left=$(cd "$dir" && find . -mindepth 1 \( -path ./.procs -prune \) -o \( -path ./.locks -type d \) -o -print | sed 's:^\./::' | sort)
procs=$(find "$dir/.procs" -mindepth 1 2>/dev/null | wc -l)
if [ -n "$left" ]; then
  echo "portable index directory: FAIL: $(printf '%s\n' "$left" | wc -l) entries left in $dir:"
  printf '%s\n' "$left" | head -50 | sed 's/^/  /'
  exit 1
fi
echo "portable index directory: nothing left behind ($procs process records in .procs/, as documented)"
