#!/usr/bin/env bash
# scripts/lib/count-object-api.sh [CLASSES_DIR]: the public methods of the library's public types
# that take or return Object for array data, read from the compiled classes with javap (so it
# counts what a caller sees, after erasure of nothing: javap prints the generic signatures).
# Two lists: "object" (a parameter or return type java.lang.Object or Object[]) and "wildcard"
# (a container of unknown element type, Map<String, ?> or List<?>, whose values are array data).
# Not counted: equals(Object), and HandleState.arm(Object owner, ...) (the owner is a handle, not
# data). Issue 20 set the goal of 0 for the first list.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-target/memshare/classes}
[ -d "$dir/org/memshare" ] || { echo "no classes in $dir; build first (mvn -q install -DskipTests)" >&2; exit 2; }
classes=$(cd "$dir" && find org -name '*.class' | sed 's/\.class$//; s#/#.#g' | sort)
members=$(javap -public -cp "$dir" $classes | awk '
  /^Compiled from/ { next }
  /^[a-z]/ { pub = ($0 ~ /^public /); cls = $0; sub(/ *\{$/, "", cls); sub(/<.*/, "", cls); sub(/ (extends|implements) .*/, "", cls); sub(/.* /, "", cls); next }
  pub && /^  public / { sub(/^  public /, ""); print cls " :: " $0 }')
object=$(grep -E 'java\.lang\.Object' <<<"$members" | grep -vE 'equals\(java\.lang\.Object\)|HandleState :: void arm\(' || true)
wildcard=$(grep -E '<\?>|, \?>' <<<"$members" || true)
echo "$object" | sed '/^$/d; s/^/object   /'
echo "$wildcard" | sed '/^$/d; s/^/wildcard /'
echo "COUNT object $(sed '/^$/d' <<<"$object" | wc -l) wildcard $(sed '/^$/d' <<<"$wildcard" | wc -l)"
