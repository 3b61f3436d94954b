# Checks of the library JAR, sourced by scripts/package.
# check_jar_natives JAR PLATFORM...: the JAR bundles natives for exactly these platforms, one
# directory each under org/memshare/native/ holding the one file named as Platform.java names it
# (libmemshare.so, memshare.dll, libmemshare.dylib). Prints the list, or what differs, and returns 1.
check_jar_natives() {
  local jar=$1 p want got expected
  shift
  expected=$(for p in "$@"; do
    case $p in windows-*) echo "$p/memshare.dll" ;; darwin-*) echo "$p/libmemshare.dylib" ;; *) echo "$p/libmemshare.so" ;; esac
  done | sort -u)
  got=$(unzip -Z1 "$jar" | sed -nE 's:^org/memshare/native/([^/]+/[^/]+)$:\1:p' | sort -u)
  if [ "$got" != "$expected" ]; then
    echo "package: the JAR bundles natives [$(paste -sd' ' <<<"$got")], expected exactly [$(paste -sd' ' <<<"$expected")]"
    return 1
  fi
  echo "package: the JAR bundles exactly the $# natives expected: $(paste -sd' ' <<<"$got")"
}

# check_library_jar JAR: that the library JAR holds the library only.
# check_library_jar JAR: prints what it checked, or what is wrong, and returns 1 on a problem.
#   - the JAR is the module org.memshare (module-info.class) exporting exactly org.memshare,
#     .apply, .mi, .facade and .text: .internal stays encapsulated on the module path;
#   - every class is in org.memshare, .internal, .apply, .mi, .facade or .text (no CLI, benchmark or soak
#     classes);
#   - jdeps finds no dependency outside the JDK (picocli and the like would show up here);
#   - no public class has a main method. The one main is that of the package-private
#     org.memshare.apply.WorkerMain, the entry point of the worker JVMs memApply starts itself.
check_library_jar() {
  local jar=$1 bad deps mains classes dir rc=0
  bad=$(unzip -Z1 "$jar" | grep -vE '^(META-INF/.*|module-info\.class|org/memshare/native/[^/]+/[^/]+|org/memshare/((internal|apply|mi|facade|text)/)?([A-Za-z0-9_$]+|package-info)\.class|.*/)$' || true)
  if [ -n "$bad" ]; then
    echo "package: the library JAR holds what is not the library:"; printf '%s\n' "$bad" | sed 's/^/  /'; rc=1
  fi
  local module exports entries
  module="(none: no module-info.class)"
  # (the listing whole first: under pipefail, grep -q's early exit would fail unzip)
  entries=$(unzip -Z1 "$jar")
  grep -qx module-info.class <<<"$entries" && module=$(jar --describe-module --file "$jar" | head -1 | sed -E 's/@.*//')
  exports=$(jar --describe-module --file "$jar" 2>&1 | sed -nE 's/^exports ([^ ]+)$/\1/p' | sort | paste -sd' ')
  if [ "$module" != org.memshare ] || [ "$exports" != "org.memshare org.memshare.apply org.memshare.facade org.memshare.mi org.memshare.text" ]; then
    echo "package: the JAR is module '$module' exporting [$exports], expected org.memshare exporting org.memshare, .apply, .facade, .mi, .text"
    rc=1
  fi
  deps=$(jdeps -summary "$jar" | awk '{print $3}' | sort -u)
  if grep -vqE '^(java|jdk)\.' <<<"$deps"; then
    echo "package: the library JAR depends on more than the JDK: $(paste -sd' ' <<<"$deps")"; rc=1
  fi
  dir=$(mktemp -d)
  unzip -q "$jar" 'org/memshare/*.class' -d "$dir"   # (unzip's * matches across /)
  classes=$(cd "$dir" && find org -name '*.class' | sed 's/\.class$//; s#/#.#g' | sort)
  # javap prints each class's header, then (with -public) its public members only.
  mains=$(cd "$dir" && javap -public -cp . $classes \
    | awk '/^[a-z ]*(class|interface|enum|record) /{c=$0} /static void main\(java.lang.String\[\]\)/ && c ~ /^public /{print c}')
  rm -rf "$dir"
  if [ -n "$mains" ]; then
    echo "package: the library JAR has public main methods in:"; printf '%s\n' "$mains" | sed 's/^/  /'; rc=1
  fi
  [ $rc -eq 0 ] && echo "package: library JAR: module $module exporting $exports; $(wc -w <<<"$classes") classes, all in org.memshare{,.internal,.apply,.mi,.facade,.text}; depends on $(paste -sd' ' <<<"$deps") only; no public main"
  return $rc
}
