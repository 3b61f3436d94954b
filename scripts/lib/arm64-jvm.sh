# An aarch64 JVM under qemu-user, sourced by scripts/package: Debian's
# openjdk-17-jre-headless:arm64, downloaded and unpacked under target/cross/linux-aarch64/jre
# (not installed: as a package it would replace this machine's JRE). Needs $root and $log.

# Sets arm64_java (the command line that starts that JVM), fetching it first if needed; or prints
# why it cannot and fails.
arm64_jvm() {
  local why
  why=$(arm64_jre_fetch) || { echo "aarch64 JVM: skipped: $why"; return 1; }
  [ -z "$why" ] || echo "$why"
  arm64_java=(env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu LD_LIBRARY_PATH="$root/target/cross/linux-aarch64/jre/lib/aarch64-linux-gnu"
              "$(command -v qemu-aarch64-static || command -v qemu-aarch64)" "$root/target/cross/linux-aarch64/jre/usr/lib/jvm/java-17-openjdk-arm64/bin/java")
}

# Makes sure the JRE is unpacked; prints what it did, or why it cannot and fails.
arm64_jre_fetch() {
  local dir=$root/target/cross/linux-aarch64/jre debs staged added=
  local java=$dir/usr/lib/jvm/java-17-openjdk-arm64/bin/java
  command -v qemu-aarch64-static >/dev/null 2>&1 || command -v qemu-aarch64 >/dev/null 2>&1 \
    || { echo "no qemu-aarch64(-static)"; return 1; }
  if [ ! -x "$java" ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "fetching Debian's openjdk-17-jre-headless:arm64 needs root and apt-get"; return 1
    fi
    if ! grep -qx arm64 <<<"$(dpkg --print-foreign-architectures)"; then
      dpkg --add-architecture arm64 && added=yes
      # Without arm64 indexes every later apt-get update would fail: take the architecture back.
      if ! timeout 300 apt-get update -qq >/dev/null 2>&1; then
        dpkg --remove-architecture arm64 || true
        echo "apt-get update with the arm64 architecture failed (it was removed again)"; return 1
      fi
    fi
    debs=$(mktemp -d); chmod 755 "$debs"   # apt's _apt user writes the downloads
    if ! (cd "$debs" && timeout 300 apt-get download -qq openjdk-17-jre-headless:arm64 zlib1g:arm64 >/dev/null 2>&1); then
      rm -rf "$debs"; echo "apt-get download openjdk-17-jre-headless:arm64 zlib1g:arm64 failed"; return 1
    fi
    # Unpacked beside the cache and moved in whole, so an interrupted run leaves no half JRE.
    mkdir -p "$root/target/cross"
    staged=$(mktemp -d "$root/target/cross/jre.XXXXXX")
    for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$staged"; done
    rm -rf "$debs" "$dir"
    mkdir -p "$(dirname "$dir")"
    mv "$staged" "$dir"
    if [ -n "$added" ]; then echo "aarch64 JVM: added the arm64 architecture to dpkg to download Debian's arm64 JRE"; fi
  fi
}

# The quick start (classes in $2) from the JAR $1; its output must be tests/consumer's expected one.
arm64_quickstart() {  # jar classes-dir
  local out arch rc=0
  out=$(timeout 300 "${arm64_java[@]}" -XshowSettings:properties -cp "$1:$2" QuickStart 2>"$log") || rc=$?
  arch=$(sed -nE 's/^ *os.arch = (.*)/\1/p' "$log")
  if [ $rc -ne 0 ] || [ "$arch" != aarch64 ] || [ "$out" != "$(cat tests/consumer/src/test/resources/quickstart.out)" ]; then
    cat "$log"; printf '%s\n' "$out"
    [ $rc -eq 124 ] && echo "aarch64 JVM: the quick start timed out after 300 s"
    echo "aarch64 JVM: the quick start FAILED (exit $rc, os.arch=$arch; expected tests/consumer/src/test/resources/quickstart.out)"
    return 1
  fi
  echo "aarch64 JVM: $("${arm64_java[@]}" -version 2>&1 | sed -n 2p) under qemu, os.arch=$arch: quick start output as expected"
}

# The JUnit suite in that JVM, under -Xcheck:jni, with the classes the JAR was made of
# (target/memshare/jar-classes: every platform's library). Left out: tests that start processes
# (@StartsProcesses: qemu-user cannot start the aarch64 child JVMs they need without binfmt_misc)
# and LeakTest (it counts /proc/self/maps lines; qemu-user shows the JVM's code heap as more lines
# as it grows). They run in the x86-64 suite.
arm64_junit() {
  local junit platform console classpath t0=$SECONDS rc=0 found ok failed aborted cfailed warnings
  junit=$(sed -nE 's:.*<junit.version>(.*)</junit.version>.*:\1:p' pom.xml)
  platform=1.${junit#5.}   # JUnit 5.x.y runs on JUnit Platform 1.x.y
  console=target/cross/junit/junit-platform-console-standalone-$platform.jar
  if [ ! -f "$console" ] && ! mvn -B -ntp -q dependency:copy -DoutputDirectory=target/cross/junit \
       -Dartifact=org.junit.platform:junit-platform-console-standalone:$platform >"$log" 2>&1; then
    cat "$log"; echo "aarch64 JVM: cannot fetch the JUnit console launcher"; return 1
  fi
  mvn -B -ntp -q -pl java/memshare dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$root/target/cross/junit/runtime.cp" >"$log" 2>&1 \
    || { cat "$log"; echo "aarch64 JVM: cannot resolve the runtime class path"; return 1; }
  classpath=target/memshare/jar-classes:target/memshare/test-classes:$(cat target/cross/junit/runtime.cp)
  timeout 900 "${arm64_java[@]}" -Xcheck:jni -Xmx3g -jar "$console" execute -cp "$classpath" --select-package org.memshare \
    --exclude-tag starts-processes --exclude-classname '.*LeakTest' --fail-if-no-tests \
    --details=summary --disable-banner >"$log" 2>&1 || rc=$?
  found=$(sed -nE 's/.*\[ *([0-9]+) tests found.*/\1/p' "$log")
  ok=$(sed -nE 's/.*\[ *([0-9]+) tests successful.*/\1/p' "$log")
  failed=$(sed -nE 's/.*\[ *([0-9]+) tests failed.*/\1/p' "$log")
  aborted=$(sed -nE 's/.*\[ *([0-9]+) tests aborted.*/\1/p' "$log")
  cfailed=$(sed -nE 's/.*\[ *([0-9]+) containers failed.*/\1/p' "$log")
  warnings=$(grep -cE "WARNING in native method|Warning: Calling other JNI|Warning: JNI" "$log" || true)
  # The launcher's exit code counts a class that failed before its tests ran (e.g. the library
  # not loading in a static initializer), which "tests failed" alone would not.
  if [ $rc -ne 0 ] || [ -z "$found" ] || [ "${failed:-1}" != 0 ] || [ "${cfailed:-1}" != 0 ] || [ "$warnings" != 0 ]; then
    grep -vE '^\s*$' "$log" | tail -60
    [ $rc -eq 124 ] && echo "aarch64 JVM: the JUnit run timed out after 900 s"
    echo "aarch64 JVM: JUnit FAILED (exit $rc; ${ok:-0} of ${found:-?} passed, ${failed:-?} failed, ${cfailed:-?} classes failed, $warnings -Xcheck:jni warnings)"
    return 1
  fi
  echo "aarch64 JVM: JUnit $ok of $found passed, ${aborted:-0} aborted by assumptions, 0 -Xcheck:jni warnings, in $((SECONDS - t0)) s (tests that start processes, and LeakTest, run on x86-64 only)"
}
